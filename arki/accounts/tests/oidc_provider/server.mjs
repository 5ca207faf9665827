// The OpenID provider Arki's single sign-on tests start (oidc-provider, a certified OpenID
// Connect implementation). Configuration comes from the environment:
//   CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma list), POST_LOGOUT_REDIRECT_URIS (comma list)
//   ACCOUNTS: JSON {username: {password, sub, email, given_name, family_name, groups, otp,
//             disabled}}
// It prints "listening <issuer>" when ready. Logging in: GET /interaction/<uid> shows a form,
// POST /interaction/<uid>/login with username, password and an optional otp (the right otp
// adds "otp" and "mfa" to the amr claim). A disabled account is refused (access_denied).
// For the tampered-token tests, POST /__test/tamper?mode=signature|audience|issuer changes the
// ID token of the next token response (re-signed with another key, or with the provider's own
// key and a wrong audience or issuer).
import http from "node:http";
import { Provider } from "oidc-provider";
import * as jose from "jose";

const accounts = JSON.parse(process.env.ACCOUNTS || "{}");
const bySub = Object.fromEntries(Object.entries(accounts).map(([u, a]) => [a.sub, { ...a, username: u }]));

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: "arki-test", use: "sig", alg: "RS256" };
const { privateKey: otherKey } = await jose.generateKeyPair("RS256", { extractable: true });

const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: (process.env.REDIRECT_URIS || "").split(",").filter(Boolean),
      post_logout_redirect_uris: (process.env.POST_LOGOUT_REDIRECT_URIS || "").split(",").filter(Boolean),
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [signingJwk] },
  claims: {
    acr: null,
    amr: null,
    auth_time: null,
    sid: null,
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["given_name", "family_name", "name"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups"],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["arki-test-cookie-key"] },
  async findAccount(ctx, sub) {
    const account = bySub[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: account.email,
          email_verified: true,
          given_name: account.given_name,
          family_name: account.family_name,
          groups: account.groups || [],
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // First-party client: consent is given without asking.
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});

// How each account last signed in (oidc-provider keeps amr in the session but leaves it out of
// the ID token unless the client asks for it by the claims parameter): the token endpoint
// states it in the ID token, as Entra ID and Keycloak do.
const lastLogin = {};
let tamper = "";
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === "/token" && ctx.body && ctx.body.id_token) {
    const mode = tamper;
    tamper = "";
    const claims = jose.decodeJwt(ctx.body.id_token);
    Object.assign(claims, lastLogin[claims.sub] || {});
    let key = privateKey;
    if (mode === "signature") key = otherKey;
    if (mode === "audience") claims.aud = "another-client";
    if (mode === "issuer") claims.iss = "http://127.0.0.1:1";
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "arki-test" }).sign(key),
    };
  }
});

function page(res, status, html) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html><body>${html}</body></html>`);
}

function readForm(req) {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(Object.fromEntries(new URLSearchParams(body))));
  });
}

const callback = provider.callback();
server.on("request", async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname === "/__test/tamper" && req.method === "POST") {
      tamper = url.searchParams.get("mode") || "";
      return page(res, 200, "ok");
    }
    const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (!match) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      return page(
        res,
        200,
        `<h1>Test identity service</h1><form method="post" action="/interaction/${details.uid}/login">` +
          `<label>Username <input name="username" id="username"></label>` +
          `<label>Password <input type="password" name="password" id="password"></label>` +
          `<label>One-time code <input name="otp" id="otp"></label>` +
          `<button type="submit">Sign in</button></form>`,
      );
    }
    const form = await readForm(req);
    const account = accounts[form.username];
    if (!account || account.password !== form.password) return page(res, 401, "wrong username or password");
    if (account.disabled) {
      return provider.interactionFinished(req, res, { error: "access_denied", error_description: "account disabled" });
    }
    const amr = ["pwd"];
    if (form.otp) {
      if (form.otp !== account.otp) return page(res, 401, "wrong code");
      amr.push("otp", "mfa");
    }
    lastLogin[account.sub] = { amr, acr: amr.length > 1 ? "mfa" : "pwd" };
    return provider.interactionFinished(req, res, { login: { accountId: account.sub, amr, acr: amr.length > 1 ? "mfa" : "pwd" } }, { mergeWithLastSubmission: false });
  } catch (err) {
    page(res, 500, String(err));
  }
});

console.log(`listening ${issuer}`);
