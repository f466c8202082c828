#!/usr/bin/env node
// openapi-merge.mjs — the gateway's one OpenAPI document for the whole public API, made from
// the four services' own documents (their live /q/openapi).
//
//   node deploy/gateway/openapi-merge.mjs OUT auth=SRC account=SRC admin-audit=SRC notification=SRC
//
// SRC is a service's document: a file, or a base URL (http://127.0.0.1:8081) whose
// /q/openapi?format=json is read. OUT is written as pretty JSON (deploy/gateway/openapi.json,
// committed: the gateway serves it as /openapi.json in `sentinel up` and in Kubernetes without
// a merge step at start). The system test OpenApiGatewayIT merges the running services'
// documents with this script and fails when the committed file differs, printing the command
// that refreshes it. No dependencies beyond Node itself.
//
// What the merge does (docs/api/README.md, "The merged document and Swagger UI at the gateway"):
// - keeps only the paths the gateway routes to the service that documents them (the table
//   ROUTES below mirrors nginx.conf.template): auth's /v1/auth/internal/* and anything under
//   /q/ stay out, as the gateway answers them 404;
// - operationIds must stay unique across services: a clash fails the merge (rename one with
//   @Operation), since a client generator's method names must not depend on merge order;
// - components (schemas, responses, parameters, ...) with the same name and the same content
//   in several services are kept once (the bearer scheme, a record two services share); the
//   same name with different content is kept once per service, renamed `<Service>_<Name>`
//   (e.g. Auth_Plan), and every $ref and security requirement of that service follows;
// - tags are the union (same name: one tag, the first description); info, license and the
//   OpenAPI version come from the services (they must agree); servers is "/", the origin
//   that serves the document;
// - paths and component names are sorted, so the output does not depend on input order.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

// Which service the gateway sends a path to (nginx.conf.template): the longest prefix wins.
const ROUTES = [
  { prefix: '/v1/auth/internal/', service: null },
  { prefix: '/v1/auth/', service: 'auth' },
  { exact: '/.well-known/jwks.json', service: 'auth' },
  { prefix: '/v1/account/', service: 'account' },
  { prefix: '/v1/admin/accounts/', service: 'account' },
  { prefix: '/v1/admin/', service: 'admin-audit' },
  { prefix: '/v1/notifications/', service: 'notification' },
];
const SERVICES = ['auth', 'account', 'admin-audit', 'notification'];
const COMPONENT_KINDS = ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers',
  'securitySchemes', 'links', 'callbacks', 'pathItems'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// A document that cannot be merged: main prints it and exits 1 (the tests catch it).
function die(message) {
  throw new Error(message);
}

export function routedTo(path) {
  let best = null;
  for (const route of ROUTES) {
    const match = route.exact ? path === route.exact : path.startsWith(route.prefix);
    const length = (route.exact || route.prefix).length;
    if (match && (!best || length > best.length)) best = { service: route.service, length };
  }
  return best ? best.service : null;
}

function pascal(service) {
  return service.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

async function load(source) {
  if (/^https?:\/\//.test(source)) {
    const url = source.replace(/\/+$/, '') + '/q/openapi?format=json';
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) die(`${url} answered ${response.status}`);
    return response.json();
  }
  return JSON.parse(readFileSync(source, 'utf8'));
}

// Every $ref '#/components/KIND/NAME' and security requirement key, renamed by `renames`.
function rewrite(node, renames) {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, renames));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const m = /^#\/components\/([^/]+)\/(.+)$/.exec(value);
      out[key] = m && renames[m[1]]?.[m[2]] ? `#/components/${m[1]}/${renames[m[1]][m[2]]}` : value;
    } else if (key === 'security' && Array.isArray(value)) {
      out[key] = value.map((requirement) => Object.fromEntries(Object.entries(requirement)
        .map(([scheme, scopes]) => [renames.securitySchemes?.[scheme] ?? scheme, scopes])));
    } else {
      out[key] = rewrite(value, renames);
    }
  }
  return out;
}

// [kind, name] of every component the kept paths reach, following refs through components, and
// the security schemes their requirements (or the document's) name.
function used(doc, paths) {
  const seen = new Set();
  const found = [];
  const visit = (node) => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const m = /^#\/components\/([^/]+)\/(.+)$/.exec(value);
        if (m) add(m[1], m[2]);
      } else if (key === 'security' && Array.isArray(value)) {
        value.forEach((requirement) => Object.keys(requirement).forEach((scheme) => add('securitySchemes', scheme)));
      } else {
        visit(value);
      }
    }
  };
  const add = (kind, name) => {
    const key = `${kind}/${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push([kind, name]);
    visit(doc.components?.[kind]?.[name]);
  };
  visit(paths);
  (doc.security ?? []).forEach((requirement) => Object.keys(requirement).forEach((scheme) => add('securitySchemes', scheme)));
  return found;
}

function sortedObject(entries) {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function merge(documents) {
  const first = documents[SERVICES[0]];
  for (const service of SERVICES) {
    const doc = documents[service];
    if (!doc) die(`no document for ${service}`);
    if (doc.openapi !== first.openapi) die(`${service} is OpenAPI ${doc.openapi}, auth ${first.openapi}: cannot merge`);
    if (doc.info?.version !== first.info?.version) die(`${service} is version ${doc.info?.version}, auth ${first.info?.version}`);
    if (!isDeepStrictEqual(doc.info?.license, first.info?.license)) die(`${service}'s license differs from auth's`);
  }

  // The paths the gateway routes to each service; the rest (auth's internal API) is left out.
  const kept = {};
  const dropped = [];
  for (const service of SERVICES) {
    kept[service] = {};
    for (const [path, item] of Object.entries(documents[service].paths ?? {})) {
      if (routedTo(path) === service) kept[service][path] = item;
      else dropped.push(`${service} ${path}`);
    }
  }

  // Components: only those the kept paths use (directly or through other components); one
  // name per identical definition; clashing definitions get the service prefix.
  const owners = {};   // kind -> name -> [{service, value}]
  for (const service of SERVICES) {
    const doc = documents[service];
    for (const [kind, name] of used(doc, kept[service])) {
      const value = doc.components?.[kind]?.[name];
      if (value === undefined) die(`${service} refers to #/components/${kind}/${name}, which it does not define`);
      ((owners[kind] ??= {})[name] ??= []).push({ service, value });
    }
  }
  const renames = Object.fromEntries(SERVICES.map((s) => [s, {}]));
  const components = {};
  const clashes = [];
  for (const kind of COMPONENT_KINDS) {
    for (const [name, defs] of Object.entries(owners[kind] ?? {})) {
      if (defs.every((d) => isDeepStrictEqual(d.value, defs[0].value))) {
        (components[kind] ??= {})[name] = { value: defs[0].value, service: defs[0].service };
        continue;
      }
      clashes.push(`${kind}/${name}`);
      for (const d of defs) {
        const renamed = `${pascal(d.service)}_${name}`;
        (renames[d.service][kind] ??= {})[name] = renamed;
        (components[kind] ??= {})[renamed] = { value: d.value, service: d.service };
      }
    }
  }

  const paths = {};
  const operationIds = new Map();
  const tags = new Map();
  const usedTags = new Set();
  for (const service of SERVICES) {
    const doc = documents[service];
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
    for (const [path, item] of Object.entries(kept[service])) {
      if (paths[path]) die(`${path} is documented by two services`);
      for (const method of METHODS) {
        for (const tag of item[method]?.tags ?? []) usedTags.add(tag);
        const id = item[method]?.operationId;
        if (!id) continue;
        if (operationIds.has(id)) {
          die(`operationId ${id} is used by ${operationIds.get(id)} and ${service} ${method.toUpperCase()} ${path}: `
            + 'rename one (@Operation(operationId = ...)) so client generators keep one name per operation');
        }
        operationIds.set(id, `${service} ${method.toUpperCase()} ${path}`);
      }
      paths[path] = rewrite(item, renames[service]);
    }
  }

  const mergedComponents = {};
  for (const kind of COMPONENT_KINDS) {
    if (!components[kind]) continue;
    mergedComponents[kind] = sortedObject(Object.entries(components[kind])
      .map(([name, { value, service }]) => [name, rewrite(value, renames[service])]));
  }

  const merged = {
    openapi: first.openapi,
    'x-generated': 'by deploy/gateway/openapi-merge.mjs from the four services\' /q/openapi: do not edit, regenerate',
    info: {
      title: 'Sentinel API',
      version: first.info.version,
      description: 'The whole public API of the Sentinel suite, as the gateway serves it on one origin: '
        + 'auth-service (/v1/auth, /.well-known/jwks.json), account-service (/v1/account, /v1/admin/accounts), '
        + 'admin-audit-service (/v1/admin) and notification-service (/v1/notifications). Merged from each '
        + 'service\'s own document; see docs/api/README.md.\n\n' + (first.info.description ?? ''),
      license: first.info.license,
    },
    servers: [{ url: '/', description: 'The gateway that serves this document' }],
    tags: [...tags.values()].filter((tag) => usedTags.has(tag.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    paths: sortedObject(Object.entries(paths)),
    components: mergedComponents,
  };
  if (!merged.tags.length) delete merged.tags;
  if (first.security) merged.security = first.security;
  return { merged, dropped, clashes, operations: operationIds.size };
}

async function main(argv) {
  if (argv.length !== 5) {
    die('usage: openapi-merge.mjs OUT auth=SRC account=SRC admin-audit=SRC notification=SRC');
  }
  const [out, ...sources] = argv;
  const documents = {};
  for (const source of sources) {
    const m = /^([a-z-]+)=(.+)$/.exec(source);
    if (!m || !SERVICES.includes(m[1])) die(`expected SERVICE=SRC with SERVICE one of ${SERVICES.join(', ')}: ${source}`);
    documents[m[1]] = await load(m[2]);
  }
  const { merged, dropped, clashes, operations } = merge(documents);
  writeFileSync(`${out}.tmp`, JSON.stringify(merged, null, 2) + '\n');
  renameSync(`${out}.tmp`, out);
  process.stderr.write(`openapi-merge: ${Object.keys(merged.paths).length} paths, ${operations} operations`
    + ` -> ${out}; left out (not routed by the gateway): ${dropped.length ? dropped.join(', ') : 'none'};`
    + ` renamed per service (same name, different content): ${clashes.length ? clashes.join(', ') : 'none'}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`openapi-merge: ${error.message}\n`);
    process.exit(1);
  }
}
