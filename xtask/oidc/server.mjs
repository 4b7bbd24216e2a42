// The OpenID Connect provider the OAuth tests run against: panva's `oidc-provider` (a certified
// implementation), configured with the clients the tests use. Started by `cargo xtask test`
// on loopback; `PORT` is the port. Besides the provider's own endpoints it answers
// `GET /stats`: how many tokens each client was issued, so tests can count fetches.
//
// The resource owner password grant is not in oidc-provider (OAuth 2.1 drops it); it is
// registered here with the provider's own token and grant models, so its tokens, refresh
// tokens and introspection are the provider's.
import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const users = { alice: 'wonderland' };
const stats = {};

const confidential = (id, extra = {}) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  scope: 'pets:read pets:write',
  ...extra,
});

const clients = [
  // One client per test that counts fetches, so tests running at once do not share counts.
  confidential('scoped'),
  confidential('crowd'),
  confidential('refused'),
  confidential('wrong'),
  confidential('discovered'),
  confidential('short-lived'),
  confidential('post-only', { token_endpoint_auth_method: 'client_secret_post' }),
  confidential('token-workflow', { token_endpoint_auth_method: 'client_secret_post' }),
  confidential('app', { grant_types: ['password', 'refresh_token'] }),
  confidential('app-post', {
    grant_types: ['password', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post',
  }),
  // Whoever reads the stats and introspects tokens.
  confidential('introspector'),
];

const shortLived = new Set(['short-lived', 'app']);

const provider = new Provider(issuer, {
  clients,
  scopes: ['openid', 'offline_access', 'pets:read', 'pets:write'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: {
    AccessToken: (ctx, token, client) => (shortLived.has(client.clientId) ? 2 : 600),
    ClientCredentials: (ctx, token, client) => (shortLived.has(client.clientId) ? 2 : 600),
    RefreshToken: 600,
    Grant: 600,
  },
  async findAccount(ctx, id) {
    if (!(id in users)) return undefined;
    return { accountId: id, async claims() { return { sub: id }; } };
  },
});

provider.registerGrantType(
  'password',
  async (ctx) => {
    const { client, params } = ctx.oidc;
    if (users[params.username] !== params.password) {
      throw new errors.InvalidGrant('wrong username or password');
    }
    const allowed = new Set(client.scope.split(' '));
    const scope = (params.scope || '').split(' ').filter((s) => allowed.has(s)).join(' ');
    const grant = new provider.Grant({ accountId: params.username, clientId: client.clientId });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const common = { accountId: params.username, client, grantId, gty: 'password' };
    const access = new provider.AccessToken({ ...common, scope });
    const refresh = new provider.RefreshToken({ ...common, scope: 'openid offline_access' });
    ctx.body = {
      access_token: await access.save(),
      token_type: 'Bearer',
      expires_in: access.expiration,
      refresh_token: await refresh.save(),
      scope,
    };
  },
  ['username', 'password', 'scope'],
);

provider.use(async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === '/stats') {
    ctx.body = stats;
    return;
  }
  await next();
  if (ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200) {
    const id = ctx.oidc?.client?.clientId ?? 'unknown';
    const grant = ctx.oidc?.params?.grant_type ?? 'unknown';
    stats[id] ??= {};
    stats[id][grant] = (stats[id][grant] ?? 0) + 1;
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
