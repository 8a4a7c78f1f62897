import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const step = (id: string, action: string, name: string, input: object) =>
  yaml.stringify({ steps: [{ id, action, name, input }] });

/** Examples of `hedgehog:fabric:push`. */
export const pushExamples: TemplateExample[] = [
  {
    description:
      'Push a new fabric directory (written by hedgehog:fabric:bootstrap to fabrics/lab) into an existing repository',
    example: step('push', 'hedgehog:fabric:push', 'Push the fabric', {
      url: 'https://github.com/acme/network.git',
      branch: 'main',
      sourcePath: 'fabrics/lab',
      targetPath: 'fabrics/lab',
      message: 'New Hedgehog fabric lab',
      newFabric: true,
    }),
  },
  {
    description: 'Push a changed fabric directory back to the branch it was checked out from',
    example: step('push', 'hedgehog:fabric:push', 'Commit the VPC', {
      url: '${{ steps.checkout.output.gitUrl }}',
      branch: '${{ steps.checkout.output.branch }}',
      sourcePath: 'fabric',
      targetPath: '${{ steps.checkout.output.path }}',
      message: 'Add VPC vpc-7',
    }),
  },
];

/** Examples of `hedgehog:fabric:checkout`. */
export const checkoutExamples: TemplateExample[] = [
  {
    description: "Copy fabric lab's directory from its repository into ./fabric",
    example: step('checkout', 'hedgehog:fabric:checkout', 'Fetch the fabric directory', {
      fabric: 'resource:default/lab',
      targetPath: 'fabric',
    }),
  },
];
