// A real OpenID Connect provider (npm oidc-provider) on 127.0.0.1 for the end-to-end test of
// "Sign in with Google": discovery, JWKS, authorization with the development login and consent
// pages, token endpoint (client_secret_basic), PKCE required.
//
//   node tests/e2e/oidc/provider.mjs [port]          port 0 (default) picks a free one
//
// Environment:
//   OIDC_PORT            port, when not given as argv[2]
//   OIDC_CLIENT_ID       the one confidential client (default "milkyhoop-e2e")
//   OIDC_CLIENT_SECRET   its secret (required)
//   OIDC_REDIRECT_URIS   comma-separated redirect URIs registered for the client (required)
//   OIDC_ACCOUNT_LOGIN   login name of the account with a verified email (default "siti")
//   OIDC_ACCOUNT_EMAIL   its email (default "siti@example.com")
// Accounts: OIDC_ACCOUNT_LOGIN (verified email) and "unverified" (email_verified false).
//
// Prints one JSON line {"issuer": "http://127.0.0.1:<port>"} on stdout once it listens.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 0);
const clientId = process.env.OIDC_CLIENT_ID || 'milkyhoop-e2e';
const clientSecret = process.env.OIDC_CLIENT_SECRET;
const redirectUris = (process.env.OIDC_REDIRECT_URIS || '').split(',').filter(Boolean);
if (!clientSecret || redirectUris.length === 0) {
  console.error('provider.mjs: OIDC_CLIENT_SECRET and OIDC_REDIRECT_URIS are required');
  process.exit(2);
}
const login = process.env.OIDC_ACCOUNT_LOGIN || 'siti';
const accounts = {
  [login]: {
    email: process.env.OIDC_ACCOUNT_EMAIL || 'siti@example.com',
    email_verified: true,
    name: 'Siti Rahma',
  },
  unverified: { email: 'unverified@example.com', email_verified: false, name: 'Not Verified' },
};

// oidc-provider logs notices to stdout; a parent that stopped reading must not crash us (EPIPE).
process.stdout.on('error', () => {});

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Like Google: the ID token itself carries the email, not only UserInfo.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...account };
        },
      };
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
