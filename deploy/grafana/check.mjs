// Checks the Grafana dashboards in deploy/grafana/dashboards without a Grafana: each file is
// JSON with a unique uid, every panel reads the `datasource` variable, and every PromQL
// expression parses (promtool check rules over a rules file made of them, with the
// dashboard variables replaced). Which metrics they read is checked against the running
// services by the system test MetricsContractIT. Usage: node check.mjs PROMTOOL
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, 'dashboards');
const promtool = process.argv[2];
const problems = [];
const exprs = [];
const uids = new Map();
let panels = 0;

for (const file of readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
  let dash;
  try {
    dash = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (e) {
    problems.push(`${file}: not JSON: ${e.message}`);
    continue;
  }
  if (!dash.uid || !dash.title) problems.push(`${file}: no uid or title`);
  if (uids.has(dash.uid)) problems.push(`${file}: uid ${dash.uid} also in ${uids.get(dash.uid)}`);
  uids.set(dash.uid, file);
  if (!(dash.tags || []).includes('sentinel')) problems.push(`${file}: not tagged sentinel`);
  const vars = (dash.templating?.list || []).map(v => v.name);
  if (!vars.includes('datasource')) problems.push(`${file}: no datasource variable`);
  for (const panel of dash.panels || []) {
    if (panel.type === 'row') continue;
    panels++;
    const where = `${file}: panel "${panel.title}"`;
    if (panel.datasource?.uid !== '${datasource}') problems.push(`${where}: does not read the datasource variable`);
    const g = panel.gridPos || {};
    if (!(g.w > 0 && g.h > 0 && g.x >= 0 && g.x + g.w <= 24)) problems.push(`${where}: gridPos outside the 24 columns`);
    if (!panel.targets?.length) problems.push(`${where}: no query`);
    for (const t of panel.targets || []) {
      if (!t.expr?.trim()) { problems.push(`${where}: empty expression`); continue; }
      for (const v of t.expr.matchAll(/\$(?:\{)?([A-Za-z_]+)/g)) {
        if (!v[1].startsWith('__') && !vars.includes(v[1])) problems.push(`${where}: unknown variable $${v[1]}`);
      }
      exprs.push({ where, expr: t.expr });
    }
  }
}

// promtool parses rule files: one recording rule per expression, variables made concrete.
const concrete = e => e.replace(/\$__rate_interval|\$__interval|\$\{__rate_interval\}/g, '5m')
  .replace(/\$\{?[A-Za-z_]+\}?/g, '.*');
const rules = 'groups:\n  - name: grafana-expressions\n    rules:\n' + exprs.map((x, i) =>
  `      - record: grafana_check:expr_${i}\n        expr: ${JSON.stringify(concrete(x.expr))}\n`).join('');
const tmp = mkdtempSync(join(tmpdir(), 'grafana-check-'));
try {
  writeFileSync(join(tmp, 'exprs.yml'), rules);
  execFileSync(promtool, ['check', 'rules', join(tmp, 'exprs.yml')], { stdio: 'pipe' });
} catch (e) {
  const out = `${e.stdout || ''}${e.stderr || ''}`;
  const failing = [...out.matchAll(/expr_(\d+)/g)].map(m => exprs[Number(m[1])]);
  problems.push(`promtool refused an expression:\n${out}` + failing.map(x => `\n  ${x.where}: ${x.expr}`).join(''));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (problems.length) {
  console.error(problems.map(p => `grafana: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`grafana      ${uids.size} dashboards, ${panels} panels, ${exprs.length} expressions parsed by promtool`);
