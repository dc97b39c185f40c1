// Zendesk as an OAuth 2.0 provider, as Zendesk documents it, for the simulated account:
//   - the authorization code grant with PKCE: GET /oauth/authorizations/new (response_type=code,
//     client_id, redirect_uri, scope, state, code_challenge, code_challenge_method=S256) shows a
//     consent page to the signed-in user; "Allow" redirects to redirect_uri?code=…&state=…, a code
//     valid for 120 seconds and usable once; "Deny" redirects with error=access_denied.
//     (Zendesk help, "Using OAuth authentication with your application",
//     support.zendesk.com/hc/en-us/articles/4408845965210.)
//   - POST /oauth/tokens with a JSON body: grant_type authorization_code (code, client_id,
//     client_secret, redirect_uri, code_verifier) or refresh_token (refresh_token, client_id,
//     client_secret); 201 with {access_token, refresh_token, token_type: "bearer", scope,
//     expires_in, refresh_token_expires_in}; a refresh invalidates the previous pair; a bad grant
//     is 400 {"error":"invalid_grant",…}, a bad client 401 {"error":"invalid_client",…}.
//     (developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/.)
//   - GET /api/v2/users/me.json answers with the token's user; an invalid or expired token is
//     401 {"error":"invalid_token",…}; no credentials at all is the anonymous user
//     (developer.zendesk.com/api-reference/ticketing/users/users/#show-self).
// Access tokens live 30 minutes and refresh tokens 30 days, Zendesk's defaults since 2026
// (support.zendesk.com/hc/en-us/articles/10212201463962).
import { createHash, randomBytes } from 'node:crypto';

const CODE_LIFETIME_MS = 120_000;
const ACCESS_LIFETIME_S = 1800;
const REFRESH_LIFETIME_S = 30 * 86400;

const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description: 'The provided access grant is invalid, expired, or revoked (e.g. invalid assertion, expired ' +
    'authorization token, bad end-user password credentials, or mismatching authorization code and redirection URI).',
};
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
};
const INVALID_TOKEN = {
  error: 'invalid_token',
  error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
};

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const token = () => randomBytes(32).toString('hex');

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 65536) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

/**
 * @param {{ users: Map<number, object>, clients: { id: string, secret: string, redirectUris: string[], name: string }[],
 *           now?: () => number }} options
 *   `users`: the account's users by id (their role, active and suspended are read at every
 *   call, so a test or the demo can demote or suspend a user).
 */
export function createOAuthProvider({ users, clients, now = () => Date.now() }) {
  const codes = new Map(); // code -> grant
  const accessTokens = new Map(); // token -> { userId, expiresAt, scope, clientId }
  const refreshTokens = new Map(); // token -> { userId, expiresAt, scope, clientId, access }
  let signedIn; // the user id the browser is signed in to Zendesk as

  const client = (id) => clients.find((c) => c.id === id);

  function consentPage(res, params, user, c) {
    const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`).join('');
    const redirectOrigin = new URL(params.get('redirect_uri')).origin;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // form-action also governs the redirect that follows the form's submission.
      'content-security-policy': `default-src 'none'; style-src 'self'; form-action 'self' ${redirectOrigin}; frame-ancestors 'none'`,
    });
    res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Allow access</title>
<link rel="stylesheet" href="/vendor/garden/bedrock.css"><link rel="stylesheet" href="/vendor/garden/buttons.css"><link rel="stylesheet" href="/workspace/consent.css">
<main>
<h1>Allow ${escapeHtml(c.name)} to access your account?</h1>
<p>You are signed in to Zendesk as <strong id="user">${escapeHtml(user.name)}</strong> (${escapeHtml(user.email)}).</p>
<p>It will be able to read your user profile, including your role.</p>
<form method="post" action="/oauth/authorizations">${hidden}
<button class="c-btn c-btn--primary" name="decision" value="allow" id="allow">Allow</button>
<button class="c-btn" name="decision" value="deny" id="deny">Deny</button>
</form></main></html>`);
  }

  function badRequest(res, message) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(message);
  }

  // The checks Zendesk makes before it shows the consent page: an unknown client or an
  // unregistered redirect URI is an error page, never a redirect.
  function checkAuthorization(res, params) {
    const c = client(params.get('client_id'));
    if (!c) return badRequest(res, 'unknown client_id');
    if (!c.redirectUris.includes(params.get('redirect_uri'))) return badRequest(res, 'redirect_uri is not registered for this client');
    if (params.get('response_type') !== 'code' && params.has('response_type')) return badRequest(res, 'response_type must be code');
    if (!params.get('scope')) return badRequest(res, 'scope is required');
    if (params.has('code_challenge') && params.get('code_challenge_method') !== 'S256') return badRequest(res, 'code_challenge_method must be S256');
    const user = users.get(signedIn);
    if (!user) return badRequest(res, 'sign in to Zendesk first');
    return { c, user };
  }

  function redirect(res, target, params) {
    const url = new URL(target);
    for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null) url.searchParams.set(name, value);
    res.writeHead(302, { location: url.href, 'cache-control': 'no-store' }).end();
  }

  function issue(grant) {
    const access = token();
    const refresh = token();
    const at = now();
    accessTokens.set(access, { ...grant, expiresAt: at + ACCESS_LIFETIME_S * 1000 });
    refreshTokens.set(refresh, { ...grant, expiresAt: at + REFRESH_LIFETIME_S * 1000, access });
    return {
      access_token: access, refresh_token: refresh, token_type: 'bearer', scope: grant.scope,
      expires_in: ACCESS_LIFETIME_S, refresh_token_expires_in: REFRESH_LIFETIME_S,
    };
  }

  async function tokens(req, res) {
    const text = await readBody(req);
    let body;
    try {
      body = (req.headers['content-type'] ?? '').includes('application/json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    } catch {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'The request body is not JSON.' });
    }
    const c = client(body.client_id);
    if (!c || body.client_secret !== c.secret) return sendJson(res, 401, INVALID_CLIENT);
    if (body.grant_type === 'authorization_code') {
      const grant = codes.get(body.code);
      codes.delete(body.code); // usable once, even when the exchange fails
      if (!grant || grant.expiresAt <= now() || grant.clientId !== c.id || grant.redirectUri !== body.redirect_uri) {
        return sendJson(res, 400, INVALID_GRANT);
      }
      if (grant.challenge) {
        const verifier = String(body.code_verifier ?? '');
        const computed = createHash('sha256').update(verifier).digest('base64url');
        if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || computed !== grant.challenge) return sendJson(res, 400, INVALID_GRANT);
      }
      return sendJson(res, 201, issue({ userId: grant.userId, scope: grant.scope, clientId: c.id }));
    }
    if (body.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(body.refresh_token);
      if (!grant || grant.expiresAt <= now() || grant.clientId !== c.id) return sendJson(res, 400, INVALID_GRANT);
      refreshTokens.delete(body.refresh_token);
      accessTokens.delete(grant.access);
      return sendJson(res, 201, issue({ userId: grant.userId, scope: grant.scope, clientId: c.id }));
    }
    return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
  }

  return {
    /** The user the browser is signed in to Zendesk as (the demo's agent switch, the tests). */
    signIn(userId) {
      signedIn = userId;
    },
    get signedIn() {
      return signedIn;
    },

    /** Answers /oauth/… requests; false for any other path. */
    async handle(req, res, url) {
      if (url.pathname === '/oauth/authorizations/new' && req.method === 'GET') {
        const checked = checkAuthorization(res, url.searchParams);
        if (checked) consentPage(res, url.searchParams, checked.user, checked.c);
        return true;
      }
      if (url.pathname === '/oauth/authorizations' && req.method === 'POST') {
        const params = new URLSearchParams(await readBody(req));
        const checked = checkAuthorization(res, params);
        if (!checked) return true;
        const state = params.get('state') || undefined;
        if (params.get('decision') !== 'allow') {
          redirect(res, params.get('redirect_uri'), {
            error: 'access_denied', error_description: 'The end-user or authorization server denied the request.', state,
          });
          return true;
        }
        const code = randomBytes(10).toString('hex');
        codes.set(code, {
          clientId: checked.c.id, redirectUri: params.get('redirect_uri'), userId: checked.user.id, scope: params.get('scope'),
          challenge: params.get('code_challenge') || null, expiresAt: now() + CODE_LIFETIME_MS,
        });
        redirect(res, params.get('redirect_uri'), { code, state });
        return true;
      }
      if (url.pathname === '/oauth/tokens' && req.method === 'POST') {
        await tokens(req, res);
        return true;
      }
      return false;
    },

    /**
     * GET /api/v2/users/me.json for an Authorization header: { status, headers, body }. With no
     * bearer token it is the browser's own Zendesk session (the signed-in user) or, without one,
     * the anonymous user, as Zendesk answers.
     */
    me(authorization) {
      const match = /^Bearer (\S+)$/.exec(authorization ?? '');
      if (!match) {
        const user = users.get(signedIn) ?? { id: null, name: 'Anonymous user', email: null, role: 'end-user', active: true, suspended: false };
        return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ user }) };
      }
      const grant = accessTokens.get(match[1]);
      const user = grant && grant.expiresAt > now() ? users.get(grant.userId) : undefined;
      const body = user ? { user } : INVALID_TOKEN;
      return { status: user ? 200 : 401, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
    },

    /** Ends every access token now (as their 30 minutes would): the next use must refresh. */
    expireAccessTokens() {
      for (const grant of accessTokens.values()) grant.expiresAt = now();
    },
  };
}
