// Unit tests of openapi-merge.mjs on small made-up documents (node --test; run by
// deploy/local/sentinel test). The real documents are merged by system-tests OpenApiGatewayIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merge, routedTo } from './openapi-merge.mjs';

const bearer = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
const info = { title: 'x', version: '1.0.0', license: { name: 'L', identifier: 'MIT' } };

function doc(paths, schemas = {}) {
  return { openapi: '3.1.0', info, paths, components: { schemas, securitySchemes: { bearer } } };
}

function op(id, schema, tags = ['T']) {
  return {
    operationId: id, tags, security: [{ bearer: [] }],
    responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } } },
  };
}

function documents(overrides = {}) {
  return {
    auth: doc({ '/v1/auth/me': { get: op('me', 'Me') }, '/v1/auth/internal/users': { get: op('users', 'Internal') },
      '/q/health': { get: op('health', 'Me') } },
    { Me: { type: 'object', properties: { plan: { $ref: '#/components/schemas/Plan' } } },
      Plan: { type: 'string', enum: ['FREE'] }, Internal: { type: 'object' }, Unused: { type: 'object' } }),
    account: doc({ '/v1/account/plan': { get: op('plan', 'Plan') }, '/v1/admin/accounts/{id}/plan': { get: op('adminPlan', 'Plan') } },
      { Plan: { type: 'string', enum: ['FREE', 'PRO'] } }),
    'admin-audit': doc({ '/v1/admin/users': { get: op('adminUsers', 'Users') } }, { Users: { type: 'array' } }),
    notification: doc({ '/v1/notifications/dead-letters': { get: op('deadLetters', 'Users') } }, { Users: { type: 'array' } }),
    ...overrides,
  };
}

test('each path is kept only from the service the gateway routes it to', () => {
  assert.equal(routedTo('/v1/auth/login'), 'auth');
  assert.equal(routedTo('/v1/auth/internal/users'), null);
  assert.equal(routedTo('/.well-known/jwks.json'), 'auth');
  assert.equal(routedTo('/v1/admin/accounts/1/plan'), 'account');
  assert.equal(routedTo('/v1/admin/users'), 'admin-audit');
  assert.equal(routedTo('/q/openapi'), null);
  const { merged, dropped } = merge(documents());
  assert.deepEqual(Object.keys(merged.paths), ['/v1/account/plan', '/v1/admin/accounts/{id}/plan',
    '/v1/admin/users', '/v1/auth/me', '/v1/notifications/dead-letters']);
  assert.deepEqual(dropped, ['auth /v1/auth/internal/users', 'auth /q/health']);
});

test('the same name with different content is renamed per service, refs follow; same content is shared', () => {
  const { merged, clashes } = merge(documents());
  const schemas = merged.components.schemas;
  assert.deepEqual(Object.keys(schemas), ['Account_Plan', 'Auth_Plan', 'Me', 'Users']);
  assert.deepEqual(clashes, ['schemas/Plan']);
  assert.equal(schemas.Me.properties.plan.$ref, '#/components/schemas/Auth_Plan');
  assert.equal(merged.paths['/v1/account/plan'].get.responses[200].content['application/json'].schema.$ref,
    '#/components/schemas/Account_Plan');
  assert.deepEqual(Object.keys(merged.components.securitySchemes), ['bearer']);
});

test('components only the left-out paths use are left out too', () => {
  const { merged } = merge(documents());
  assert.equal(merged.components.schemas.Internal, undefined);
  assert.equal(merged.components.schemas.Unused, undefined);
});

test('a clashing security scheme is renamed in the security requirements too', () => {
  const docs = documents();
  docs.notification.components.securitySchemes.bearer = { type: 'http', scheme: 'basic' };
  const { merged } = merge(docs);
  assert.deepEqual(merged.paths['/v1/notifications/dead-letters'].get.security, [{ Notification_bearer: [] }]);
  assert.deepEqual(merged.paths['/v1/auth/me'].get.security, [{ Auth_bearer: [] }]);
});

test('an operationId used by two services fails the merge', () => {
  const docs = documents();
  docs.notification.paths['/v1/notifications/dead-letters'].get.operationId = 'me';
  assert.throws(() => merge(docs), /operationId me is used by auth GET \/v1\/auth\/me and notification/);
});

test('documents of different OpenAPI versions or licenses are not merged', () => {
  assert.throws(() => merge(documents({ account: { ...documents().account, openapi: '3.0.3' } })), /OpenAPI 3.0.3/);
  assert.throws(() => merge(documents({ account: { ...documents().account, info: { ...info, license: { name: 'Other' } } } })),
    /license/);
});

test('the output does not depend on the order of the inputs', () => {
  const docs = documents();
  const reversed = Object.fromEntries(Object.entries(docs).reverse());
  assert.equal(JSON.stringify(merge(reversed).merged), JSON.stringify(merge(docs).merged));
});
