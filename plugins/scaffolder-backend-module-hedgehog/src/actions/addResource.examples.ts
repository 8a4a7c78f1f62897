import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Add a VPC, given as YAML, to the fabric directory checked out into ./fabric',
    example: yaml.stringify({
      steps: [
        {
          id: 'add-vpc',
          action: 'hedgehog:resource:add',
          name: 'Add the VPC',
          input: {
            fabric: 'resource:default/lab',
            path: 'fabric',
            resource: [
              'apiVersion: vpc.githedgehog.com/v1beta1',
              'kind: VPC',
              'metadata:',
              '  name: vpc-7',
              'spec:',
              '  subnets:',
              '    default:',
              '      subnet: 10.0.7.0/24',
              '      gateway: 10.0.7.1',
              '      vlan: 1007',
              '',
            ].join('\n'),
          },
        },
      ],
    }),
  },
  {
    description:
      'Add a server, given as an object, to the fabric directory at the workspace root',
    example: yaml.stringify({
      steps: [
        {
          id: 'add-server',
          action: 'hedgehog:resource:add',
          name: 'Add the server',
          input: {
            resource: {
              apiVersion: 'wiring.githedgehog.com/v1beta1',
              kind: 'Server',
              metadata: { name: 'server-07' },
              spec: { description: 'Rack 2, slot 7' },
            },
            fileName: 'servers/server-07.yaml',
          },
        },
      ],
    }),
  },
];
