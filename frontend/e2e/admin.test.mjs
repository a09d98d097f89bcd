// @ts-check
/**
 * Administration in Debian's Chromium against a running Vanguard server with the demo county, as the
 * county organisation department (zuzhibu): the audit log finds the event of a write just made through
 * the API; a user created on the users page for the secretary's branch is listed (and the API has it);
 * a service account created on its page gets a token shown once, which signs in to the API until it is
 * revoked on the page.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_USER=zuzhibu VANGUARD_SECRETARY_USER=shuji VANGUARD_PASSWORD=... npm run e2e
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, env, password, screenshots, signInApi, signedIn } from './support.mjs';

const department = env('VANGUARD_USER');
const secretary = env('VANGUARD_SECRETARY_USER');

const session = signedIn(department);
const { api, onPage } = session;

const stamp = Date.now().toString(36);

/**
 * A write to the API as the department; anything but `expected` fails the test.
 * @param {string} method
 * @param {string} path
 * @param {unknown} body
 * @param {number} expected
 * @returns {Promise<any>}
 */
async function apiSend(method, path, body, expected) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== expected) assert.fail(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * The status `/auth/me` answers a bearer token with.
 * @param {string} bearer
 */
async function meStatus(bearer) {
  const response = await fetch(`${baseUrl}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${bearer}` } });
  return { status: response.status, body: /** @type {any} */ (await response.json()) };
}

/** The secretary's branch, as the API tells the secretary. */
async function secretaryBranch() {
  const me = await api('/auth/me', await signInApi(secretary));
  assert.equal(typeof me.org_id, 'number', 'the demo secretary belongs to a branch');
  return /** @type {{id: number, name: string}} */ (await api(`/orgs/${me.org_id}`));
}

test('the audit log finds the event of a write just made through the API', async () => {
  const branch = await secretaryBranch();
  const made = await apiSend('POST', '/users', { username: `audit-${stamp}`, display_name: `审计测试${stamp}`, password, role: 'member', org_id: branch.id }, 201);
  const [event] = (await api(`/audit?entity=users&entity_id=${made.id}`)).items;
  assert.equal(event.action, 'create');

  await onPage('audit', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL(/\/audit$/);
    const table = page.getByTestId('audit-table');
    // Newest first, unfiltered: the event just made is on the first page.
    await table.getByTestId(`audit-detail-${event.id}`).waitFor();
    const filters = page.getByTestId('audit-filters');
    await filters.getByLabel('对象类型').fill('users');
    await filters.getByLabel('对象编号').fill(String(made.id));
    await filters.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(new RegExp(`entity_id=${made.id}`));
    // The filtered page has arrived when the pager counts its one event.
    await page.getByText('本页 1 条').waitFor();
    assert.equal(await table.locator('.ant-table-row').count(), 1);
    const row = table.locator(`tr[data-row-key="${event.id}"]`);
    await row.getByText('新建').waitFor();
    await row.getByText(branch.name).waitFor();
    await page.screenshot({ path: join(screenshots, 'audit.png'), fullPage: true });

    await row.getByTestId(`audit-detail-${event.id}`).click();
    const changes = page.getByTestId('audit-changes');
    await changes.getByText(`audit-${stamp}`, { exact: true }).waitFor();
    // What the API recorded, and no password (hashed or not) in it.
    assert.equal(event.after.username, `audit-${stamp}`);
    assert.ok(!(await changes.textContent())?.includes('password'));
  });
});

test('a user created on the users page for the secretary’s branch is listed', async () => {
  const branch = await secretaryBranch();
  const username = `e2e-${stamp}`;
  await onPage('users', async (page) => {
    await page.goto(`${baseUrl}/users?org=${branch.id}`);
    const table = page.getByTestId('user-table');
    await table.locator('.ant-table-row').first().waitFor();
    await page.getByTestId('user-create').click();
    const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('user-username') });
    await dialog.getByTestId('user-username').fill(username);
    await dialog.getByTestId('user-display-name').fill(`测试用户${stamp}`);
    await dialog.getByTestId('user-password').fill(password);
    // The branch being viewed is preselected, and a new account is a member's.
    await dialog.getByText(branch.name).waitFor();
    await dialog.getByTestId('user-role').getByText('党员', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = table.locator('tr').filter({ hasText: username });
    await row.getByText(`测试用户${stamp}`).waitFor();
    await row.getByText(branch.name).waitFor();
    await page.screenshot({ path: join(screenshots, 'users.png'), fullPage: true });
  });
  const { items } = await api(`/users?q=${username}`);
  assert.equal(items.length, 1);
  assert.deepEqual([items[0].role, items[0].org_id, items[0].is_active], ['member', branch.id, true]);
});

test('a service account’s token is shown once, works, and stops working once revoked', async () => {
  const name = `e2e 热线 ${stamp}`;
  await onPage('service-accounts', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('menuitem', { name: '服务账号' }).click();
    await page.waitForURL(/\/service-accounts$/);
    await page.getByTestId('account-create').click();
    const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('account-name') });
    await dialog.getByTestId('account-name').fill(name);
    await dialog.getByRole('combobox', { name: '权限范围' }).click();
    await page.locator('.ant-select-item-option[title="查看组织（orgs:read）"]').click();
    // A multiple select stays open after a pick: leave it for another field to close it.
    await dialog.getByTestId('account-name').click();
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.waitFor({ state: 'detached' });

    const { items: accounts } = await api('/service-accounts?limit=100');
    const account = accounts.find((/** @type {{name: string}} */ one) => one.name === name);
    assert.ok(account, 'the account was created');
    assert.deepEqual(account.scopes, ['orgs:read']);
    const row = page.getByTestId('account-table').locator(`tr[data-row-key="${account.id}"]`);
    await row.getByText('查看组织').waitFor();
    // Placed, unless changed, in the department's own organisation, and named on the row.
    const home = (await api('/auth/me')).org_id;
    assert.equal(account.org_id, home);
    await row.getByText((await api(`/orgs/${home}`)).name).waitFor();
    await page.screenshot({ path: join(screenshots, 'service-accounts.png'), fullPage: true });

    await page.getByTestId(`account-tokens-${account.id}`).click();
    await page.getByTestId('token-issue').click();
    const issue = page.locator('.ant-modal').filter({ has: page.getByTestId('token-name') });
    await issue.getByTestId('token-name').fill('生产');
    await issue.getByRole('button', { name: /签发令牌/ }).click();
    const shown = page.getByTestId('shown-once-secret');
    await shown.waitFor();
    const secret = (await shown.textContent())?.trim() ?? '';
    assert.ok(secret.length >= 20, 'the secret is shown');
    await page.getByText('令牌只显示这一次').waitFor();
    // Once the modal has stopped moving in, the picture shows it.
    await page.getByRole('button', { name: '我已保存' }).click({ trial: true });
    await page.screenshot({ path: join(screenshots, 'service-accounts-token.png'), fullPage: true });

    const me = await meStatus(secret);
    assert.equal(me.status, 200);
    assert.deepEqual([me.body.kind, me.body.id], ['service', account.id]);

    await page.getByRole('button', { name: '我已保存' }).click();
    await shown.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is gone once the modal is closed');

    const tokens = page.getByTestId('token-table');
    const tokenRow = tokens.locator('.ant-table-row').filter({ hasText: '生产' });
    await tokenRow.getByText('有效', { exact: true }).waitFor();
    await tokenRow.getByRole('button', { name: '吊销 生产' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: /吊\s*销/ }).click();
    await tokenRow.getByText('已吊销', { exact: true }).waitFor();
    assert.equal((await meStatus(secret)).status, 401);
  });
});
