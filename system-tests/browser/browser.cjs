// browser.cjs — headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for
// the system tests BrowserSessionIT and OpenApiGatewayIT. It never downloads a browser: the
// package is playwright-core (no browsers), installed pinned by deploy/local/sentinel test.
//
//   PLAYWRIGHT_CORE=<dir of playwright-core> node browser.cjs docs GATEWAY_URL
//       opens GATEWAY_URL/docs/ and prints every operation Swagger UI lists
//   PLAYWRIGHT_CORE=... node browser.cjs spa GATEWAY_URL EMAIL PASSWORD
//       the SPA flow on the gateway's origin (spa.html); after registering it prints
//       {"event":"registered"} and reads {"token":"..."} (the verification token the test
//       took from the mail) from stdin, then goes on
//
// Output: one JSON object per line on stdout; the last one is {"event":"result", ...} or
// {"event":"error", "message": ...}. Tokens and cookie values are never printed.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 120000;
const TEST_PAGE = '/__browser-test__/spa.html';

function emit(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

// httpErrors: whether an answer >= 400 is a problem (the docs page) or expected (the SPA flow
// is refused on purpose, and Chromium logs each refusal to the console).
async function withBrowser(httpErrors, work) {
  const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  context.on('weberror', (error) => problems.push('page error: ' + error.error().message));
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (!httpErrors && message.text().startsWith('Failed to load resource: the server responded')) return;
      problems.push('console: ' + message.text());
    });
    page.on('response', (response) => {
      if (httpErrors && response.status() >= 400) problems.push('HTTP ' + response.status() + ': ' + response.request().method() + ' ' + new URL(response.url()).pathname);
    });
    page.on('requestfailed', (request) => problems.push('request failed: ' + request.url() + ' ' + request.failure()?.errorText));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
      });
    });
    return await work(context, page, problems);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function docs(gateway) {
  return withBrowser(true, async (context, page, problems) => {
    const response = await page.goto(gateway + '/docs/', { waitUntil: 'load' });
    const headers = response.headers();
    await page.waitForSelector('.opblock', { timeout: 30000 });
    // Swagger UI renders every tag's operations at once (docExpansion list); wait until the
    // count stops growing.
    let count = -1;
    for (let same = 0; same < 3;) {
      await page.waitForTimeout(300);
      const now = await page.locator('.opblock').count();
      same = now === count ? same + 1 : 0;
      count = now;
    }
    const operations = await page.$$eval('.opblock', (blocks) => blocks.map((block) => ({
      method: (block.querySelector('.opblock-summary-method')?.textContent || '').trim().toLowerCase(),
      path: (block.querySelector('.opblock-summary-path')?.getAttribute('data-path') || '').trim(),
      operationId: (block.querySelector('.opblock-summary-operation-id')?.textContent || '').trim(),
    })));
    const title = await page.locator('.info .title').first().textContent();
    // "Try it out" as a reader would: a GET and a POST with a body, sent by Swagger UI from the
    // page through the gateway (same origin, the page's CSP, the services' CORS filter).
    const tryItOut = [];
    for (const [operationId, body] of [['jwks', null], ['forgotPassword', '{"email": "docs-try-it-out@sentinel.test"}']]) {
      const block = page.locator('.opblock').filter({ has: page.locator('.opblock-summary-operation-id', { hasText: new RegExp(`^${operationId}$`) }) });
      await block.locator('.opblock-summary-control').click();
      await block.locator('.try-out__btn').click();
      if (body !== null) await block.locator('textarea.body-param__text').fill(body);
      await block.locator('button.execute').click();
      const status = block.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor({ timeout: 15000 });
      tryItOut.push({ operationId, status: Number((await status.textContent()).trim().split(/\s/)[0]) });
    }
    return { status: response.status(), csp: headers['content-security-policy'] || null,
      title: title && title.trim(), operations, tryItOut, problems };
  });
}

function nextLine(lines) {
  return new Promise((resolve, reject) => {
    lines.once('line', resolve);
    lines.once('close', () => reject(new Error('stdin closed before the verification token came')));
  });
}

async function spa(gateway, email, password) {
  const html = fs.readFileSync(path.join(__dirname, 'spa.html'), 'utf8');
  const lines = readline.createInterface({ input: process.stdin });
  return withBrowser(false, async (context, page, problems) => {
    // The test page is served by this script, on the gateway's origin (never by the gateway).
    await page.route(gateway + TEST_PAGE, (route) => route.fulfill({
      status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(gateway + TEST_PAGE);
    const cookieView = async () => (await context.cookies(gateway + '/v1/auth/refresh'))
      .filter((c) => c.name.startsWith('sentinel_'))
      .map((c) => ({ name: c.name, path: c.path, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite,
        session: c.expires === -1 }));
    const refreshValue = async () => (await context.cookies(gateway + '/v1/auth/refresh'))
      .find((c) => c.name === 'sentinel_refresh')?.value;
    const steps = {};

    steps.register = await page.evaluate(([e, p]) => window.spa.register(e, p), [email, password]);
    if (steps.register.status !== 202) throw new Error(`register answered ${JSON.stringify(steps.register)}`);
    emit({ event: 'registered' });
    const token = JSON.parse(await nextLine(lines)).token;
    steps.verify = await page.evaluate((t) => window.spa.verify(t), token);
    steps.login = await page.evaluate(([e, p]) => window.spa.login(e, p), [email, password]);
    steps.cookiesAfterLogin = await cookieView();
    steps.visibleCookiesAfterLogin = await page.evaluate(() => window.spa.visibleCookieNames());
    const first = await refreshValue();
    steps.refreshWithoutCsrf = await page.evaluate(() => window.spa.refresh(false));
    steps.refreshWithoutCsrfKeptCookie = (await refreshValue()) === first;
    steps.refresh = await page.evaluate(() => window.spa.refresh(true));
    const second = await refreshValue();
    steps.refreshRotatedCookie = !!second && second !== first;
    steps.cookiesAfterRefresh = await cookieView();
    await page.reload();
    steps.refreshAfterReload = await page.evaluate(() => window.spa.refreshAfterReload());
    steps.limits = await page.evaluate(() => window.spa.limits());
    steps.logout = await page.evaluate(() => window.spa.logout());
    steps.cookiesAfterLogout = await cookieView();
    steps.refreshAfterLogout = await page.evaluate(() => window.spa.refresh(true));
    steps.limitsAfterLogout = await page.evaluate(() => window.spa.limits());
    lines.close();
    return { steps, problems };
  });
}

async function main() {
  const [mode, gateway, ...rest] = process.argv.slice(2);
  const watchdog = setTimeout(() => {
    emit({ event: 'error', message: `no result within ${TIMEOUT_MS} ms` });
    process.exit(3);
  }, TIMEOUT_MS);
  try {
    if (mode === 'docs' && gateway) emit({ event: 'result', ...(await docs(gateway)) });
    else if (mode === 'spa' && gateway && rest.length === 2) emit({ event: 'result', ...(await spa(gateway, ...rest)) });
    else throw new Error('usage: browser.cjs docs GATEWAY_URL | spa GATEWAY_URL EMAIL PASSWORD');
  } catch (error) {
    emit({ event: 'error', message: String(error && error.stack || error) });
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
  }
}

main();
