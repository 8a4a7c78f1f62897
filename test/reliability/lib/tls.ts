/* A throw-away self-signed certificate for 127.0.0.1 (openssl CLI). */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SelfSigned {
  key: string;
  cert: string;
}

export async function selfSignedCert(cn = '127.0.0.1'): Promise<SelfSigned> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-tls-'));
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(
        'openssl',
        [
          'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
          '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
          '-subj', `/CN=${cn}`,
          '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-addext', 'basicConstraints=critical,CA:TRUE',
        ],
        (err, _o, stderr) => (err ? reject(new Error(`openssl: ${stderr}`)) : resolve()),
      ),
    );
    return {
      key: await fs.readFile(path.join(dir, 'key.pem'), 'utf8'),
      cert: await fs.readFile(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
