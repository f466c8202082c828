// Structural schemas of the Strimzi and CloudNativePG fields these manifests use.
//
// Neither project publishes its CRD schemas to a registry we can reach (npm, Debian, Maven
// Central), so these are NOT the upstream schemas: they are written from the projects'
// API references and CRDs (Strimzi kafka.strimzi.io/v1: 0.49 and later, the only version
// 1.0+ serves; CloudNativePG 1.25+ postgresql.cnpg.io/v1; the rendered objects were compared
// once, by hand, with the upstream CRDs of Strimzi 1.2.0 and CloudNativePG 1.30) and are
// strict on purpose: every object and field must be one of
// those listed here (additionalProperties: false), with its type and allowed values. A field
// that is new to these manifests must be added here, after checking its name and type
// against the project's reference. deploy/k8s/README.md says so too.

const str = { type: 'string', minLength: 1 };
const int = (minimum, maximum) => ({ type: 'integer', minimum, ...(maximum ? { maximum } : {}) });
const obj = (properties, required = []) => ({ type: 'object', additionalProperties: false, properties, required });
const map = (values) => ({ type: 'object', additionalProperties: values });
const ref = obj({ name: str }, ['name']);
const keyRef = obj({ name: str, key: str }, ['name', 'key']);
const quantity = { anyOf: [{ type: 'string', pattern: '^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$' }, { type: 'integer' }] };
const resources = obj({ requests: map(quantity), limits: map(quantity) });

const metadata = (labels = {}) => obj({
  name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
  namespace: str,
  labels: { type: 'object', additionalProperties: { type: 'string' }, properties: labels },
  annotations: map({ type: 'string' }),
}, ['name']);

const root = (apiVersion, kind, spec, labels) => obj({
  apiVersion: { const: apiVersion },
  kind: { const: kind },
  metadata: metadata(labels),
  spec,
}, ['apiVersion', 'kind', 'metadata', 'spec']);

const STRIMZI = 'kafka.strimzi.io/v1';
const CNPG = 'postgresql.cnpg.io/v1';
const strimziLabels = { 'strimzi.io/cluster': str };
const walCompression = { enum: ['bzip2', 'gzip', 'lz4', 'snappy', 'xz', 'zstd'] };
const dataCompression = { enum: ['bzip2', 'gzip', 'lz4', 'snappy'] };

export const schemas = {
  [`${STRIMZI}/KafkaTopic`]: root(STRIMZI, 'KafkaTopic', obj({
    topicName: str,
    partitions: int(1),
    replicas: int(1, 32767),
    config: map({ type: ['string', 'number', 'boolean'] }),
  }, ['partitions', 'replicas']), strimziLabels),

  [`${STRIMZI}/KafkaUser`]: root(STRIMZI, 'KafkaUser', obj({
    authentication: obj({ type: { enum: ['tls', 'tls-external', 'scram-sha-512'] } }, ['type']),
    authorization: obj({
      type: { enum: ['simple'] },
      acls: {
        type: 'array',
        minItems: 1,
        items: obj({
          resource: obj({
            type: { enum: ['topic', 'group', 'cluster', 'transactionalId'] },
            name: str,
            patternType: { enum: ['literal', 'prefix'] },
          }, ['type']),
          type: { enum: ['allow', 'deny'] },
          host: str,
          operations: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { enum: ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction',
              'AlterConfigs', 'DescribeConfigs', 'IdempotentWrite'] },
          },
        }, ['resource', 'operations']),
      },
    }, ['type', 'acls']),
  }, ['authentication']), strimziLabels),

  [`${CNPG}/Cluster`]: root(CNPG, 'Cluster', obj({
    instances: int(1),
    imageName: str,
    primaryUpdateStrategy: { enum: ['unsupervised', 'supervised'] },
    enableSuperuserAccess: { type: 'boolean' },
    storage: obj({ size: str, storageClass: str }, ['size']),
    resources,
    postgresql: obj({ parameters: map({ type: 'string' }) }),
    affinity: obj({
      enablePodAntiAffinity: { type: 'boolean' },
      podAntiAffinityType: { enum: ['preferred', 'required'] },
      topologyKey: str,
    }),
    bootstrap: obj({
      initdb: obj({ database: str, owner: str, secret: ref }, ['database', 'owner']),
    }, ['initdb']),
    managed: obj({
      roles: {
        type: 'array',
        items: obj({
          name: str,
          ensure: { enum: ['present', 'absent'] },
          login: { type: 'boolean' },
          comment: str,
          connectionLimit: int(-1),
          passwordSecret: ref,
        }, ['name']),
      },
    }),
    backup: obj({
      retentionPolicy: { type: 'string', pattern: '^[1-9][0-9]*[dwm]$' },
      barmanObjectStore: obj({
        destinationPath: { type: 'string', pattern: '^(s3|gs|https?)://' },
        endpointURL: str,
        s3Credentials: obj({ accessKeyId: keyRef, secretAccessKey: keyRef, region: keyRef },
          ['accessKeyId', 'secretAccessKey']),
        wal: obj({ compression: walCompression, maxParallel: int(1) }),
        data: obj({ compression: dataCompression, jobs: int(1) }),
      }, ['destinationPath']),
    }),
  }, ['instances', 'storage'])),

  [`${CNPG}/Database`]: root(CNPG, 'Database', obj({
    cluster: ref,
    name: str,
    owner: str,
    ensure: { enum: ['present', 'absent'] },
  }, ['cluster', 'name', 'owner'])),

  [`${CNPG}/ScheduledBackup`]: root(CNPG, 'ScheduledBackup', obj({
    // CloudNativePG's schedule has six fields, seconds first.
    schedule: { type: 'string', pattern: '^\\S+( \\S+){5}$' },
    backupOwnerReference: { enum: ['none', 'self', 'cluster'] },
    method: { enum: ['barmanObjectStore', 'volumeSnapshot', 'plugin'] },
    immediate: { type: 'boolean' },
    suspend: { type: 'boolean' },
    cluster: ref,
  }, ['schedule', 'cluster'])),
};
