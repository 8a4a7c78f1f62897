/* Bad-input corpus: symlinks (never followed). */
import { BadInputCase, MANAGED, sg, unmanaged } from './badInputCase';

export function symlinkCases(outsideFile: string): BadInputCase[] {
  return [
    {
      title: 'a symlink to an absolute path outside the repository',
      files: {},
      symlinks: { 'raw/outside-abs.yaml': outsideFile },
      expect: { 'raw/outside-abs.yaml': unmanaged(/symbolic link \(never followed\)/) },
    },
    {
      title: 'a symlink climbing out of the repository',
      files: {},
      symlinks: { 'raw/outside-rel.yaml': `../../../../../../../../..${outsideFile}` },
      expect: { 'raw/outside-rel.yaml': unmanaged(/symbolic link \(never followed\)/) },
    },
    {
      title: 'a symlink to a directory',
      files: { 'raw/real/inner.yaml': sg('behind-link') },
      symlinks: { 'raw/dir-link': 'real' },
      expect: { 'raw/real/inner.yaml': MANAGED, 'raw/dir-link': unmanaged(/symbolic link/) },
    },
  ];
}
