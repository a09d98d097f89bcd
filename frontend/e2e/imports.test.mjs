// @ts-check
/**
 * Importing a member roll with a bad row, in Debian's Chromium against a running Vanguard server with the
 * demo county: the branch secretary checks a small CSV (a dry run), sees the row with the wrong ID-card
 * checksum reported, fixes it, checks again, imports it for real, and the API then lists the members.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_SECRETARY_USER=shuji VANGUARD_PASSWORD=... npm run e2e
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, env, screenshots, signedIn } from './support.mjs';

const secretary = env('VANGUARD_SECRETARY_USER');

const { api, onPage } = signedIn(secretary);


/**
 * A citizen ID number (GB 11643-1999): 17 digits and the ISO 7064 MOD 11-2 check character.
 * @param {string} body17
 */
function idNumber(body17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return body17 + '10X98765432'.charAt(sum % 11);
}

/**
 * The same number with a wrong check character.
 * @param {string} id
 */
function withBadChecksum(id) {
  const wrong = '0123456789X'.split('').find((c) => c !== id.charAt(17)) ?? '0';
  return id.slice(0, 17) + wrong;
}

const first = { name: '导入测试甲', id: idNumber('11010519850301121') };
const second = { name: '导入测试乙', id: idNumber('11010519990512242') };

/**
 * A two-row member roll as CSV (UTF-8); the default org stands in for the org column.
 * @param {string} secondId
 */
function roll(secondId) {
  const lines = ['姓名,身份证号,学历,党员类别,发展阶段,入党日期', `${first.name},${first.id},本科,农村,正式党员,2010-07-01`, `${second.name},${secondId},大专,在职,正式党员,2015-07-01`];
  return { name: '党员名册.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n', 'utf8') };
}

test('the secretary imports a member roll, fixing the bad row the dry run reported', async () => {
  const me = await api('/auth/me');
  const branch = await api(`/orgs/${me.org_id}`);
  await onPage('imports', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('menuitem', { name: '批量导入' }).click();
    await page.waitForURL(/\/imports$/);

    // Members are what a secretary imports first; the rows go to the branch picked as default.
    await page.getByText('党员名册', { exact: true }).first().waitFor();
    await page.locator('#import-org').click();
    await page.locator('.ant-select-tree-title', { hasText: branch.name }).first().click();
    await page.locator('input[type="file"]').setInputFiles(roll(withBadChecksum(second.id)));
    await page.getByRole('button', { name: /校\s*验/ }).click();

    const report = page.getByTestId('dry-run-report');
    await report.waitFor({ timeout: 30_000 });
    const badRow = report.getByTestId('bad-rows').locator('.ant-table-row');
    assert.equal(await badRow.count(), 1);
    const cells = await badRow.locator('td').allInnerTexts();
    assert.equal(cells[0], '3');
    assert.equal(cells[1], '身份证号');
    assert.match(cells[2] ?? '', /[\u4e00-\u9fff]/, 'the message is in Chinese');
    assert.match(await report.getByTestId('import-counts').innerText(), /错误行\s*1/);
    assert.ok(await page.getByRole('button', { name: '正式导入' }).isDisabled(), 'all or nothing: no import with a bad row');
    await page.screenshot({ path: join(screenshots, 'imports-report.png'), fullPage: true });

    // Fixed, the file checks clean and imports.
    await page.locator('input[type="file"]').setInputFiles(roll(second.id));
    await page.getByRole('button', { name: /校\s*验/ }).click();
    const clean = page.getByTestId('dry-run-report');
    await clean.getByText('没有错误行').waitFor({ timeout: 30_000 });
    assert.match(await clean.getByTestId('import-counts').innerText(), /新增\s*2/);
    await page.getByRole('button', { name: '正式导入' }).click();
    await page.getByTestId('commit-report').getByText('导入完成，数据已写入').waitFor({ timeout: 30_000 });
    await page.getByTestId('recent-imports').getByText('已完成').first().waitFor();
  });

  for (const { name } of [first, second]) {
    const found = await api(`/members?q=${encodeURIComponent(name)}`);
    assert.equal(found.items.length, 1, `${name} was imported`);
    assert.equal(found.items[0].org_id, branch.id);
  }
});
