// Validates the rendered overlays of deploy/k8s (run by deploy/k8s/check.sh, which renders
// them and installs the pinned npm packages this script imports):
//   K8S_REPO_ROOT=REPO node validate.mjs TOOLS_DIR OVERLAY=RENDERED.yaml ...
//
// 1. Every object against a schema, offline: the Kubernetes kinds and prometheus-operator's
//    ServiceMonitor/PrometheusRule with the npm `kubernetes-models` classes (the upstream
//    OpenAPI schemas); Strimzi's and CloudNativePG's kinds with the strict structural schemas
//    in crd-schemas.mjs (no offline upstream schema exists for them: README). A kind with no
//    schema is an error, so nothing passes unchecked; a field the models' type declarations
//    do not name is an error too (their validators let unknown fields pass).
// 2. The properties DESIGN §11 asks for, on every Deployment, NetworkPolicy and custom
//    resource (see the functions below); a failure names the overlay, the object and the rule.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { schemas as crdSchemas } from './crd-schemas.mjs';

const [tools, ...targets] = process.argv.slice(2);
if (!tools || targets.length === 0 || !process.env.K8S_REPO_ROOT) {
  console.error('usage: K8S_REPO_ROOT=REPO node validate.mjs TOOLS_DIR OVERLAY=RENDERED.yaml ...');
  process.exit(2);
}
const modules = path.join(tools, 'node_modules');
const load = (rel) => import(pathToFileURL(path.join(modules, rel)).href);
const YAML = await load('yaml/dist/index.js');
const Ajv = (await load('ajv/dist/ajv.js')).default;
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const crdValidators = Object.fromEntries(
  Object.entries(crdSchemas).map(([key, schema]) => [key, ajv.compile(schema)]));

const failures = [];
let checks = 0;

function expect(condition, overlay, obj, rule) {
  checks++;
  if (!condition) {
    const id = obj ? `${obj.kind}/${obj.metadata?.name}` : '-';
    failures.push(`${overlay}: ${id}: ${rule}`);
  }
  return condition;
}

// ---- 1. schemas ----------------------------------------------------------------------------

// The models' validators accept fields no schema knows (a misspelt field is silently dropped
// by the API server, or refused by strict field validation). Their type declarations list
// every field, so walk each object along them: a field no declaration names is an error.
// Fields typed inline (maps, prometheus-operator's nested structs) are not walked further.
const shapes = new Map();
function shape(file) {
  if (shapes.has(file)) return shapes.get(file);
  let result = null;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const imports = new Map([...text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)].map((m) => [m[1], m[2]]));
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^export interface \w+/.test(l));
    if (start >= 0) {
      result = new Map();
      for (const line of lines.slice(start + 1)) {
        if (line === '}') break;
        const prop = /^ {4}"([^"]+)"\??: (.*)$/.exec(line);
        if (!prop) continue;
        const ref = /^(?:Array<)?(I\w+)>?;$/.exec(prop[2]);
        result.set(prop[1], ref && imports.has(ref[1]) ? resolveDts(file, imports.get(ref[1])) : null);
      }
    }
  }
  shapes.set(file, result);
  return result;
}
function resolveDts(from, spec) {
  const base = spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : path.join(modules, spec);
  return base.replace(/\.js$/, '') + '.d.ts';
}
function unknownFields(value, file, where, found) {
  const props = shape(file);
  if (!props || value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, file, `${where}[${i}]`, found));
    return found;
  }
  for (const [key, v] of Object.entries(value)) {
    if (!props.has(key)) found.push(`${where}.${key}`);
    else if (props.get(key)) unknownFields(v, props.get(key), `${where}.${key}`, found);
  }
  return found;
}

function modelFile(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}/${kind}.js`;
  if (group === 'monitoring.coreos.com') {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}.js`;
  }
  return `kubernetes-models/${group}/${version}/${kind}.js`;
}

async function modelClass(apiVersion, kind) {
  const file = modelFile(apiVersion, kind);
  if (!fs.existsSync(path.join(modules, file))) return null;
  return (await load(file))[kind];
}

async function validateSchema(overlay, obj) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (crdValidators[key]) {
    const validate = crdValidators[key];
    expect(validate(obj), overlay, obj,
      `structural schema ${key}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    return;
  }
  const Model = await modelClass(obj.apiVersion, obj.kind);
  if (!expect(Model, overlay, obj, `no schema for ${key}: add one before using the kind`)) return;
  // kustomize writes binaryData as base64 wrapped at 76 columns; the API server's decoder skips
  // the line breaks, the schema's "byte" format does not: validate the unwrapped value.
  if (obj.binaryData) {
    obj = { ...obj, binaryData: Object.fromEntries(Object.entries(obj.binaryData)
      .map(([k, v]) => [k, String(v).replace(/\s+/g, '')])) };
  }
  try {
    new Model(obj).validate();
    expect(true, overlay, obj, 'schema');
  } catch (e) {
    expect(false, overlay, obj, `schema ${key}: ${String(e.message).slice(0, 600)}`);
  }
  const dts = path.join(modules, modelFile(obj.apiVersion, obj.kind).replace(/\.js$/, '.d.ts'));
  expect(shape(dts), overlay, obj, `the type declarations of ${key} can be read (${dts})`);
  const unknown = unknownFields(obj, dts, '', []);
  expect(!unknown.length, overlay, obj, `fields no schema of ${key} knows: ${unknown.join(', ')}`);
}

// ---- 2. properties -----------------------------------------------------------------------

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|_KEY(_|S?$)|JWK_|KEK|JAAS|CREDENTIAL)/i;
const QUARKUS_PROBES = { startupProbe: '/q/health/started', readinessProbe: '/q/health/ready',
  livenessProbe: '/q/health/live' };

const byKind = (objs, kind) => objs.filter((o) => o.kind === kind);
const named = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const matches = (selector, labels) => selector && Object.entries(selector.matchLabels ?? {})
  .every(([k, v]) => labels?.[k] === v) && !selector.matchExpressions;
const quantity = (q) => {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(q));
  if (!m) return NaN;
  const unit = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 }[m[2]] ?? 1;
  return Number(m[1]) * unit;
};
const seconds = (text) => {
  const m = /^([0-9]+)s$/i.exec(String(text ?? ''));
  return m ? Number(m[1]) : NaN;
};

function configMapData(objs, name) {
  const cm = byKind(objs, 'ConfigMap').find((c) => c.metadata.name === name);
  return cm?.data ?? {};
}

// The variables a service reads: the ${NAME} and ${NAME:default} of its application.properties
// and of shared-contracts' defaults (%prod lines included, %test/%dev not). Those without a default are
// required. A variable given to the pod that the service never reads is a typo or a leftover;
// names Quarkus maps onto its own settings (QUARKUS_*, KAFKA_* for kafka.*) and the JVM's
// are allowed.
const ROOT = process.env.K8S_REPO_ROOT;
const RUNTIME_VARIABLES = new Set(['JAVA_TOOL_OPTIONS', 'MALLOC_ARENA_MAX']);
function readVariables(service) {
  const files = [`${service}/src/main/resources/application.properties`,
    'shared-contracts/src/main/resources/META-INF/microprofile-config.properties'];
  const vars = new Map();
  let port;
  for (const file of files) {
    for (const line of fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')) {
      // The pods run the prod profile: %test and %dev lines do not apply, %prod ones do.
      if (/^\s*(#|%(test|dev)\.)/.test(line)) continue;
      for (const m of line.matchAll(/\$\{([A-Z][A-Z0-9_]*)(:[^}]*)?\}/g)) {
        vars.set(m[1], (vars.get(m[1]) ?? true) && m[2] === undefined);
      }
      const portLine = /^quarkus\.http\.port=(\d+)$/.exec(line.trim());
      if (portLine) port = Number(portLine[1]);
    }
  }
  return { vars, port };
}

function checkServiceSettings(overlay, objs, dep, c) {
  const service = dep.metadata.name;
  if (!expect(fs.existsSync(path.join(ROOT, service, 'src/main/resources/application.properties')), overlay, dep,
    `the Deployment is named after its module (${service}/src/main/resources/application.properties)`)) return;
  const { vars, port } = readVariables(service);
  expect(c.ports?.some((p) => p.containerPort === port), overlay, dep, `containerPort is quarkus.http.port (${port})`);
  const given = new Set((c.env ?? []).map((e) => e.name));
  for (const f of c.envFrom ?? []) {
    for (const key of Object.keys(configMapData(objs, f.configMapRef?.name))) given.add(key);
  }
  for (const name of given) {
    expect(vars.has(name) || RUNTIME_VARIABLES.has(name) || /^(QUARKUS|KAFKA)_[A-Z0-9_]+$/.test(name), overlay, dep,
      `${name} is given but ${service} reads no such variable`);
  }
  for (const [name, required] of vars) {
    if (required) expect(given.has(name), overlay, dep, `${service} needs ${name} (no default)`);
  }
}

function checkDeployment(overlay, objs, dep) {
  const pod = dep.spec.template.spec;
  const podLabels = dep.spec.template.metadata?.labels ?? {};
  const psc = pod.securityContext ?? {};
  expect(pod.automountServiceAccountToken === false, overlay, dep, 'automountServiceAccountToken: false');
  expect(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, overlay, dep, 'no host namespaces');
  expect(psc.runAsNonRoot === true, overlay, dep, 'pod securityContext.runAsNonRoot: true');
  expect(Number.isInteger(psc.runAsUser) && psc.runAsUser > 0, overlay, dep, 'pod runs as a non-zero uid');
  expect(psc.seccompProfile?.type === 'RuntimeDefault', overlay, dep, 'pod seccompProfile RuntimeDefault');
  expect(podLabels['app.kubernetes.io/part-of'] === 'sentinel', overlay, dep,
    'pod label app.kubernetes.io/part-of: sentinel (the default-deny policy selects it)');
  const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  for (const c of containers) {
    const where = `container ${c.name}: `;
    const sc = c.securityContext ?? {};
    expect(sc.allowPrivilegeEscalation === false, overlay, dep, `${where}allowPrivilegeEscalation: false`);
    expect(sc.readOnlyRootFilesystem === true, overlay, dep, `${where}readOnlyRootFilesystem: true`);
    expect(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && psc.runAsNonRoot === true),
      overlay, dep, `${where}runAsNonRoot`);
    expect(sc.privileged !== true, overlay, dep, `${where}not privileged`);
    expect((sc.capabilities?.drop ?? []).includes('ALL'), overlay, dep, `${where}capabilities drop ALL`);
    expect(!(sc.capabilities?.add ?? []).length, overlay, dep, `${where}no capabilities added`);
    expect((sc.seccompProfile?.type ?? psc.seccompProfile?.type) === 'RuntimeDefault', overlay, dep,
      `${where}seccompProfile RuntimeDefault`);
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
    expect(tmp && volumes[tmp.name]?.emptyDir, overlay, dep, `${where}/tmp is an emptyDir`);
    for (const kind of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) {
        expect(c.resources?.[kind]?.[r] !== undefined, overlay, dep, `${where}resources.${kind}.${r}`);
      }
    }
    for (const r of ['cpu', 'memory']) {
      expect(quantity(c.resources?.requests?.[r]) <= quantity(c.resources?.limits?.[r]), overlay, dep,
        `${where}${r} request <= limit`);
    }
    for (const e of c.env ?? []) {
      expect(!(SECRET_NAME.test(e.name) && e.value !== undefined), overlay, dep,
        `${where}${e.name} looks secret: it must come from a secretKeyRef, not a value`);
    }
    if (pod.initContainers?.includes(c)) continue;
    for (const probe of Object.keys(QUARKUS_PROBES)) {
      expect(c[probe]?.httpGet?.path, overlay, dep, `${where}${probe} (httpGet)`);
    }
    const quarkus = (c.envFrom ?? []).some((f) => f.configMapRef?.name === 'sentinel-common');
    if (quarkus) {
      checkServiceSettings(overlay, objs, dep, c);
      for (const [probe, p] of Object.entries(QUARKUS_PROBES)) {
        expect(c[probe]?.httpGet?.path === p, overlay, dep, `${where}${probe} on ${p}`);
      }
      // The pod must be given the time its shutdown takes: preStop + Quarkus' shutdown
      // timeout + the Kafka clients' close (10 s).
      const shutdown = seconds(configMapData(objs, 'sentinel-common').QUARKUS_SHUTDOWN_TIMEOUT);
      const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(shutdown > 0, overlay, dep, 'QUARKUS_SHUTDOWN_TIMEOUT set in sentinel-common (e.g. 20s)');
      expect((pod.terminationGracePeriodSeconds ?? 30) >= preStop + shutdown + 10, overlay, dep,
        `terminationGracePeriodSeconds >= preStop ${preStop} + shutdown ${shutdown} + 10`);
      const sm = byKind(objs, 'ServiceMonitor').find((s) => matches(s.spec.selector, podLabels));
      expect(sm && sm.spec.endpoints.some((e) => e.path === '/q/metrics'), overlay, dep,
        'a ServiceMonitor scrapes /q/metrics');
    }
  }
  // Companions: a Service, an HPA on CPU, a PDB.
  expect(byKind(objs, 'Service').some((s) => matches({ matchLabels: s.spec.selector }, podLabels)),
    overlay, dep, 'a Service selects the pods');
  const hpa = byKind(objs, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.kind === 'Deployment'
    && h.spec.scaleTargetRef.name === dep.metadata.name);
  expect(hpa && hpa.spec.metrics.some((m) => m.resource?.name === 'cpu'), overlay, dep, 'an HPA on CPU');
  expect(dep.spec.replicas === undefined, overlay, dep, 'no spec.replicas: the HPA owns the count (an apply would reset it)');
  expect(byKind(objs, 'PodDisruptionBudget').some((p) => matches(p.spec.selector, podLabels)),
    overlay, dep, 'a PodDisruptionBudget');
  // Default deny: a policy that selects the pods, both directions, no rule.
  expect(byKind(objs, 'NetworkPolicy').some((np) => matches(np.spec.podSelector, podLabels)
    && ['Ingress', 'Egress'].every((t) => np.spec.policyTypes?.includes(t))
    && !np.spec.ingress && !np.spec.egress), overlay, dep, 'a default-deny NetworkPolicy selects the pods');
  // Every secretKeyRef and configMapRef names something: secrets by name (rendered nowhere).
  for (const c of containers) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef) {
        expect(named(objs, 'ConfigMap', f.configMapRef.name), overlay, dep,
          `envFrom ConfigMap ${f.configMapRef.name} exists`);
      }
      expect(!f.secretRef, overlay, dep, 'no envFrom secretRef: each secret variable named one by one');
    }
  }
}

// Named egress targets (DESIGN §11): a rule's peers and ports must be exactly one of these.
const DNS = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
const pods = (labels, port) => ({ to: [{ podSelector: { matchLabels: labels } }], ports: [{ protocol: 'TCP', port }] });
const TARGETS = {
  dns: (r) => same(r, DNS),
  postgresql: (r) => same(r, pods({ 'cnpg.io/cluster': 'sentinel-db' }, 5432)),
  redis: (r) => same(r, pods({ 'app.kubernetes.io/name': 'sentinel-redis' }, 6379)),
  kafka: (r) => same(r, pods({ 'strimzi.io/cluster': 'sentinel-kafka', 'strimzi.io/kind': 'Kafka' }, 9093)),
  jwks: (r) => same(r, pods({ 'app.kubernetes.io/name': 'auth-service' }, 8081)),
  // The mail relay: single hosts outside the cluster on an SMTP port, or dev's mail catcher.
  smtp: (r) => same(r, pods({ 'app.kubernetes.io/name': 'mailpit' }, 1025))
    || (r.to?.length > 0 && r.to.every((p) => Object.keys(p).length === 1 && p.ipBlock
      && /\/32$/.test(p.ipBlock.cidr) && !p.ipBlock.except)
      && r.ports?.length === 1 && r.ports[0].protocol === 'TCP' && [25, 465, 587].includes(r.ports[0].port)),
  'auth-service': (r) => same(r, pods({ 'app.kubernetes.io/name': 'auth-service' }, 8081)),
  'account-service': (r) => same(r, pods({ 'app.kubernetes.io/name': 'account-service' }, 8082)),
  'admin-audit-service': (r) => same(r, pods({ 'app.kubernetes.io/name': 'admin-audit-service' }, 8083)),
  'notification-service': (r) => same(r, pods({ 'app.kubernetes.io/name': 'notification-service' }, 8084)),
};
// What each workload may reach (besides DNS, which every Sentinel pod gets).
const EGRESS = {
  'auth-service': ['postgresql', 'redis', 'kafka'],
  'account-service': ['postgresql', 'redis', 'kafka', 'jwks'],
  // jwks covers auth-service's token endpoint and internal user API too (same pods, same port);
  // account-service: the admin console's reads of plans and spend.
  'admin-audit-service': ['postgresql', 'redis', 'kafka', 'jwks', 'account-service'],
  'notification-service': ['postgresql', 'redis', 'kafka', 'jwks', 'smtp'],
  'sentinel-gateway': ['auth-service', 'account-service', 'admin-audit-service', 'notification-service'],
};
const SERVICE_PORTS = { 'auth-service': 8081, 'account-service': 8082, 'admin-audit-service': 8083,
  'notification-service': 8084 };

function same(a, b) {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  }
  return v;
}

function checkNetworkPolicies(overlay, objs) {
  const reached = Object.fromEntries(Object.keys(EGRESS).map((w) => [w, new Set()]));
  const dnsFor = new Set();
  for (const np of byKind(objs, 'NetworkPolicy')) {
    const sel = np.spec.podSelector?.matchLabels ?? {};
    const all = Object.keys(sel).length === 1 && sel['app.kubernetes.io/part-of'] === 'sentinel';
    const workload = Object.keys(sel).length === 1 ? sel['app.kubernetes.io/name'] : undefined;
    if (!expect(!np.spec.podSelector?.matchExpressions && (all || EGRESS[workload]), overlay, np,
      'selects all Sentinel pods or exactly one known workload')) continue;
    for (const rule of np.spec.egress ?? []) {
      expect(rule.to?.length > 0 && rule.ports?.length > 0, overlay, np,
        'every egress rule names its peers and ports (no allow-all)');
      const target = (all ? ['dns'] : EGRESS[workload]).find((t) => TARGETS[t](rule));
      const allowed = target !== undefined;
      expect(allowed, overlay, np, `egress only to named targets; not allowed here: ${JSON.stringify(rule)}`);
      if (allowed && all) dnsFor.add('all');
      if (allowed && !all) reached[workload].add(target);
    }
    for (const rule of np.spec.ingress ?? []) {
      const port = SERVICE_PORTS[workload];
      if (workload === 'sentinel-gateway') {
        expect((rule.ports ?? []).every((p) => p.port === 8080), overlay, np, 'the gateway is reached on 8080 only');
        continue;
      }
      expect(!all && port && rule.from?.length > 0, overlay, np, 'every ingress rule names its peers');
      expect(rule.ports?.length === 1 && rule.ports[0].port === port, overlay, np, `ingress on ${port} only`);
      for (const peer of rule.from ?? []) {
        const name = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
        const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
        const ok = (!peer.namespaceSelector && !peer.ipBlock && (name === 'sentinel-gateway'
            || (workload === 'auth-service' && EGRESS[name]?.includes('jwks'))
            || (name !== 'sentinel-gateway' && EGRESS[name]?.includes(workload))))
          || (ns === 'monitoring' && name === 'prometheus' && !peer.ipBlock);
        expect(ok, overlay, np, `ingress only from the gateway, Prometheus, and the workloads whose egress names this one (to auth, the JWKS readers): ${JSON.stringify(peer)}`);
      }
    }
  }
  expect(dnsFor.has('all'), overlay, null, 'one policy lets every Sentinel pod reach DNS');
  for (const [w, targets] of Object.entries(EGRESS)) {
    for (const t of targets) {
      expect(reached[w].has(t), overlay, { kind: 'NetworkPolicy', metadata: { name: w } },
        `${w} can reach ${t} (it needs it)`);
    }
  }
}

function checkKafka(overlay, objs, prod) {
  const topics = Object.fromEntries(byKind(objs, 'KafkaTopic').map((t) => [t.spec.topicName ?? t.metadata.name, t]));
  const want = { 'security-events': 6, 'email-requests': 3, 'email-requests.dlq': 1 };
  for (const [name, partitions] of Object.entries(want)) {
    const t = topics[name];
    if (!expect(t, overlay, null, `KafkaTopic ${name}`)) continue;
    expect(t.spec.partitions === partitions, overlay, t, `${partitions} partitions`);
    if (prod) {
      expect(t.spec.replicas === 3 && t.spec.config?.['min.insync.replicas'] === '2', overlay, t,
        'prod: 3 replicas, min.insync.replicas 2');
    }
    expect(t.metadata.labels?.['strimzi.io/cluster'] === 'sentinel-kafka', overlay, t, 'strimzi.io/cluster: sentinel-kafka');
  }
  // Each KafkaUser is one service's: its Secret feeds that Deployment, its ACLs name only
  // existing topics and that service's consumer group.
  const groups = { 'account-service': 'SECURITY_EVENTS_GROUP', 'admin-audit-service': 'AUDIT_EVENTS_GROUP',
    'notification-service': 'EMAIL_REQUESTS_GROUP' };
  for (const user of byKind(objs, 'KafkaUser')) {
    const name = user.metadata.name;
    expect(user.spec.authentication.type === 'scram-sha-512', overlay, user, 'SCRAM-SHA-512');
    expect(user.metadata.labels?.['strimzi.io/cluster'] === 'sentinel-kafka', overlay, user, 'strimzi.io/cluster: sentinel-kafka');
    const dep = named(objs, 'Deployment', name);
    const jaas = dep?.spec.template.spec.containers[0].env?.find((e) => e.name === 'KAFKA_SASL_JAAS_CONFIG');
    expect(jaas?.valueFrom?.secretKeyRef?.name === name, overlay, user, 'the Deployment of the same name reads its Secret');
    const group = configMapData(objs, name)[groups[name]];
    for (const acl of user.spec.authorization.acls) {
      expect(acl.resource.patternType === 'literal', overlay, user, 'literal ACLs only');
      expect(!acl.operations.includes('All'), overlay, user, 'no All operation');
      if (acl.resource.type === 'topic') {
        expect(topics[acl.resource.name], overlay, user, `ACL topic ${acl.resource.name} is a KafkaTopic`);
      } else {
        expect(acl.resource.type === 'group' && acl.resource.name === group && group, overlay, user,
          `group ACL only for the service's own group (${group})`);
      }
    }
  }
  for (const name of Object.keys(SERVICE_PORTS)) {
    expect(byKind(objs, 'KafkaUser').some((u) => u.metadata.name === name), overlay, null, `KafkaUser ${name}`);
  }
}

function checkPostgres(overlay, objs, prod) {
  const clusters = byKind(objs, 'Cluster');
  if (!expect(clusters.length === 1, overlay, null, 'one CloudNativePG Cluster')) return;
  const cluster = clusters[0];
  expect(cluster.spec.instances === (prod ? 3 : 1), overlay, cluster, `${prod ? 3 : 1} instances`);
  // Its pods must stay outside sentinel-default-deny (the operator manages their traffic).
  expect(cluster.metadata.labels?.['app.kubernetes.io/part-of'] !== 'sentinel'
    && !cluster.spec.inheritedMetadata, overlay, cluster, 'passes no Sentinel pod label to its pods');
  const owners = { [cluster.spec.bootstrap.initdb.database]: cluster.spec.bootstrap.initdb.owner };
  for (const db of byKind(objs, 'Database')) {
    expect(db.spec.cluster.name === cluster.metadata.name, overlay, db, 'belongs to the Cluster');
    owners[db.spec.name] = db.spec.owner;
  }
  const roles = { [cluster.spec.bootstrap.initdb.owner]: cluster.spec.bootstrap.initdb.secret.name };
  for (const r of cluster.spec.managed?.roles ?? []) roles[r.name] = r.passwordSecret?.name;
  for (const name of Object.keys(SERVICE_PORTS)) {
    const dep = named(objs, 'Deployment', name);
    const env = dep.spec.template.spec.containers[0].env ?? [];
    const user = env.find((e) => e.name === 'DB_USER')?.valueFrom?.secretKeyRef?.name;
    const dbName = configMapData(objs, name).DB_NAME;
    const role = owners[dbName];
    expect(role, overlay, dep, `its database ${dbName} exists in the Cluster`);
    expect(role && roles[role] === user, overlay, dep, `DB_USER comes from the Secret of the database's owner (${roles[role]})`);
  }
  if (prod) {
    expect(cluster.spec.backup?.barmanObjectStore, overlay, cluster, 'prod: backups configured');
    expect(byKind(objs, 'ScheduledBackup').some((b) => b.spec.cluster.name === cluster.metadata.name), overlay,
      cluster, 'prod: a ScheduledBackup');
  }
}

function checkNoSecrets(overlay, objs) {
  for (const obj of objs) {
    expect(obj.kind !== 'Secret', overlay, obj, 'no Secret is rendered: secrets are referenced by name only');
    if (obj.kind === 'ConfigMap') {
      for (const key of Object.keys(obj.data ?? {})) {
        expect(!SECRET_NAME.test(key), overlay, obj, `${key} looks secret: not in a ConfigMap`);
      }
    }
  }
}

function checkGateway(overlay, objs) {
  // The rendered nginx config, with every service's upstream and no placeholder left.
  const cm = byKind(objs, 'ConfigMap').find((c) => c.metadata.name.startsWith('sentinel-gateway'));
  if (!expect(cm, overlay, null, 'the gateway ConfigMap')) return;
  const conf = cm.data['nginx.conf'] ?? '';
  expect(!/@[A-Z_]+@/.test(conf), overlay, cm, 'no placeholder left in nginx.conf');
  for (const svc of Object.keys(SERVICE_PORTS)) {
    expect(conf.includes(`server ${svc}:${SERVICE_PORTS[svc]};`), overlay, cm, `upstream ${svc}`);
  }
  // check.sh runs nginx -t over these files when it is given a folder for them.
  if (process.env.K8S_GATEWAY_CONF_DIR) {
    const dir = path.join(process.env.K8S_GATEWAY_CONF_DIR, overlay);
    fs.mkdirSync(dir, { recursive: true });
    for (const [key, text] of Object.entries(cm.data)) fs.writeFileSync(path.join(dir, key), text);
  }
  const dep = named(objs, 'Deployment', 'sentinel-gateway');
  const volume = dep?.spec.template.spec.volumes.find((v) => v.configMap);
  expect(volume?.configMap.name === cm.metadata.name, overlay, dep, 'mounts the generated ConfigMap');
}

let objects = 0;
for (const target of targets) {
  const [overlay, file] = target.split('=');
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: true, strict: true });
  const objs = [];
  for (const doc of docs) {
    if (doc.errors.length) {
      failures.push(`${overlay}: YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj) objs.push(obj);
  }
  objects += objs.length;
  for (const obj of objs) await validateSchema(overlay, obj);
  const prod = overlay === 'prod';
  const deployments = byKind(objs, 'Deployment');
  expect(deployments.length === 5, overlay, null, 'five Deployments (four services and the gateway)');
  for (const dep of deployments) checkDeployment(overlay, objs, dep);
  checkNetworkPolicies(overlay, objs);
  checkKafka(overlay, objs, prod);
  checkPostgres(overlay, objs, prod);
  checkNoSecrets(overlay, objs);
  checkGateway(overlay, objs);
  expect(byKind(objs, 'PrometheusRule').length > 0, overlay, null, 'the PrometheusRules of deploy/prometheus');
}

if (failures.length) {
  for (const f of failures) console.error(`  FAIL ${f}`);
  console.error(`k8s: ${failures.length} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`k8s: ${objects} objects in ${targets.length} overlays, ${checks} checks passed`);
