// The log's signing key: Ed25519, kept in a PEM file outside the database, so whoever can rewrite
// the database cannot forge a digest. Signing and checking sit behind two functions (node:crypto
// here; a Worker build can put WebCrypto's Ed25519 behind the same ones).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The signing key of a process: signs digests and checkpoints; its public half is published. */
export interface SigningKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key: names the key in every digest. */
  keyId: string;
  /** The public key as SPKI PEM (for `openssl pkeyutl -verify`). */
  publicKeyPem: string;
  /** The public key as a JWK (`kty: OKP`, `crv: Ed25519`, with `kid`). */
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
  /** The Ed25519 signature of the UTF-8 bytes of `message`, base64. */
  sign(message: string): string;
  /** True when `signature` (base64) is this key's signature of `message`. */
  verify(message: string, signature: string): boolean;
}

/** The key file is missing, unreadable or not an Ed25519 private key; the message says which. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** Wraps an Ed25519 private key. */
export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError('the signing key must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  // RFC 7638: the thumbprint of the required members in lexical order.
  const keyId = createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: jwk.x })).digest('base64url');
  return {
    keyId,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: keyId, alg: 'EdDSA', use: 'sig' },
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
    verify: (message, signature) => {
      if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
      return verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
    },
  };
}

/**
 * The signing key in `path` (PKCS#8 PEM). When the file is absent and `create` is true, a new key
 * is generated and written there (mode 0600); `created` says so. Throws SigningKeyError otherwise.
 */
export function loadSigningKey(path: string, { create = false } = {}): { key: SigningKey; created: boolean } {
  if (!existsSync(path)) {
    if (!create) throw new SigningKeyError(`SIGNING_KEY_FILE ${path} does not exist`);
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (error) {
      // Another process starting at the same moment created it first: use that one.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSigningKey(path);
      throw new SigningKeyError(`cannot create the signing key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return { key: signingKeyFrom(privateKey), created: true };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SigningKeyError(`SIGNING_KEY_FILE ${path} is not a readable PEM private key: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]}`);
  }
  return { key: signingKeyFrom(privateKey), created: false };
}

/** A fresh in-memory key (tests). */
export function generateSigningKey(): SigningKey {
  return signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
}
