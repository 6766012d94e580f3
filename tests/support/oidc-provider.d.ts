// oidc-provider ships no type declarations; the tests use its constructor and callback() only.
declare module 'oidc-provider';
