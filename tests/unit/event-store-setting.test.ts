// EVENT_STORE and KURRENTDB_URL: parsed with the other settings; an unusable combination stops the
// start with a message naming the setting.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('EVENT_STORE and KURRENTDB_URL', () => {
  it('default to the PostgreSQL store', () => {
    expect(loadConfig({})).toMatchObject({ eventStore: 'postgres', kurrentdbUrl: undefined });
  });

  it('select KurrentDB with its URL', () => {
    const config = loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false' });
    expect(config).toMatchObject({ eventStore: 'kurrentdb', kurrentdbUrl: 'kurrentdb://127.0.0.1:2113?tls=false' });
  });

  it('refuse KurrentDB without a URL and any other store', () => {
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(/KURRENTDB_URL/);
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb', KURRENTDB_URL: 'x' })).toThrow(/EVENT_STORE/);
  });
});
