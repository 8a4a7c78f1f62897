import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Bootstrap a fabric directory in a GitHub repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'bootstrap',
          action: 'hedgehog:fabric:bootstrap',
          name: 'Bootstrap the fabric',
          input: {
            name: 'lab',
            title: 'Lab fabric',
            owner: 'group:default/network',
            description: 'The lab spine-leaf fabric',
            path: 'fabrics/lab',
            repoUrl: 'github.com?owner=network&repo=fabrics',
            branch: 'main',
          },
        },
      ],
    }),
  },
  {
    description:
      'Bootstrap a fabric on a configured cluster, with seed resources',
    example: yaml.stringify({
      steps: [
        {
          id: 'bootstrap',
          action: 'hedgehog:fabric:bootstrap',
          name: 'Bootstrap the fabric',
          input: {
            name: 'edge',
            title: 'Edge fabric',
            owner: 'group:default/network',
            path: 'fabrics/edge',
            repoUrl: 'github.com?owner=network&repo=fabrics',
            cluster: 'lab',
            resources: [
              'apiVersion: wiring.githedgehog.com/v1beta1',
              'kind: VLANNamespace',
              'metadata:',
              '  name: default',
              'spec:',
              '  ranges:',
              '    - from: 1000',
              '      to: 2999',
              '---',
              'apiVersion: vpc.githedgehog.com/v1beta1',
              'kind: IPv4Namespace',
              'metadata:',
              '  name: default',
              'spec:',
              '  subnets:',
              '    - 10.0.0.0/16',
              '',
            ].join('\n'),
          },
        },
      ],
    }),
  },
  {
    description:
      'Bootstrap a fabric at the root of a self-hosted Git repository, giving the gitops location explicitly',
    example: yaml.stringify({
      steps: [
        {
          id: 'bootstrap',
          action: 'hedgehog:fabric:bootstrap',
          name: 'Bootstrap the fabric',
          input: {
            name: 'dc1',
            title: 'DC 1',
            owner: 'group:default/network',
            path: '.',
            gitopsLocation: 'url:https://git.example.com/network/dc1.git#main',
          },
        },
      ],
    }),
  },
];
