// Token lifetime: a token valid longer than the maximum (default 12 h) is refused however it was
// signed; only the first-start admin token (claim bootstrap, HS256) may live 30 days.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, mintToken } from '../../src/http/auth/index.js';
import { TEST_SECRET } from '../support/http.js';

const now = () => Math.floor(Date.now() / 1000);
const key = new TextEncoder().encode(TEST_SECRET);
const claims = { role: 'admin', municipalities: ['*'] };

describe('token lifetime', () => {
  const verifier = createTokenVerifier({ jwtSecret: TEST_SECRET });

  it('accepts 12 h and refuses 12 h and a minute', async () => {
    const ok = await mintToken(TEST_SECRET, { sub: 'a', role: 'admin', municipalities: '*', ttlSeconds: 12 * 3600 });
    expect((await verifier.verify(ok)).sub).toBe('a');
    const long = await mintToken(TEST_SECRET, { sub: 'a', role: 'admin', municipalities: '*', ttlSeconds: 12 * 3600 + 60 });
    await expect(verifier.verify(long)).rejects.toThrow(/länger als erlaubt \(höchstens 12 h\)/);
  });

  it('without iat the lifetime counts from now; an iat in the future is refused', async () => {
    const noIat = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(now() + 13 * 3600).sign(key);
    await expect(verifier.verify(noIat)).rejects.toThrow(/länger als erlaubt/);
    // An iat far ahead would make any lifetime look short.
    const future = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuedAt(now() + 86400).setExpirationTime(now() + 86400 + 60).sign(key);
    await expect(verifier.verify(future)).rejects.toThrow(/Zukunft/);
  });

  it('the first-start admin token may live 30 days, nothing longer, and only with its claim', async () => {
    const bootstrap = await mintToken(TEST_SECRET, { sub: 'admin', role: 'admin', municipalities: '*', ttlSeconds: 30 * 86400, bootstrap: true });
    expect((await verifier.verify(bootstrap)).role).toBe('admin');
    const tooLong = await mintToken(TEST_SECRET, { sub: 'admin', role: 'admin', municipalities: '*', ttlSeconds: 31 * 86400, bootstrap: true });
    await expect(verifier.verify(tooLong)).rejects.toThrow(/30 Tage/);
    const plain = await mintToken(TEST_SECRET, { sub: 'admin', role: 'admin', municipalities: '*', ttlSeconds: 30 * 86400 });
    await expect(verifier.verify(plain)).rejects.toThrow(/12 h/);
  });

  it('the maximum is a setting', async () => {
    const short = createTokenVerifier({ jwtSecret: TEST_SECRET, maxLifetimeSeconds: 3600 });
    const twoHours = await mintToken(TEST_SECRET, { sub: 'a', role: 'admin', municipalities: '*', ttlSeconds: 7200 });
    await expect(short.verify(twoHours)).rejects.toThrow(/1 h/);
    expect((await verifier.verify(twoHours)).sub).toBe('a');
  });
});
