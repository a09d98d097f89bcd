// @ts-check
/**
 * The home page (`/`) in Debian's Chromium against a running Vanguard server with the demo county: the
 * county organisation department sees its charts, drawn and matching the API; the branch secretary sees
 * what is due this week, matching `/development/due?within_days=7`; a member is welcomed and pointed to 我的.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_USER=zuzhibu VANGUARD_SECRETARY_USER=shuji VANGUARD_MEMBER_USER=dangyuan \
 *     VANGUARD_PASSWORD=... node --test e2e/home.test.mjs
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, env, screenshots, signedIn } from './support.mjs';

const department = signedIn(env('VANGUARD_USER'));
const secretary = signedIn(env('VANGUARD_SECRETARY_USER'));
const member = signedIn(env('VANGUARD_MEMBER_USER'));

/** @param {number} n */
const grouped = (n) => n.toLocaleString('zh-CN');

test('the county organisation department sees its subtree in charts', () =>
  department.onPage('home-county', async (page) => {
    const me = await department.api('/auth/me');
    const stats = await department.api(`/stats/members?org_id=${me.org_id}`);
    const trend = await department.api(`/complaints/stats/trend?org_id=${me.org_id}`);
    const compliance = await department.api(`/study/compliance?org=${me.org_id}&limit=1`);
    assert.ok(stats.total > 0, 'the demo county has members');

    await page.goto(`${baseUrl}/`);
    const home = page.getByTestId('home-county');
    await home.waitFor();
    await page.getByTestId('home-total-members').getByText(grouped(stats.total), { exact: true }).waitFor();
    await page.getByTestId('home-overdue-complaints').getByText(grouped(trend.overdue_open), { exact: true }).waitFor();
    await page.getByTestId('home-compliance-met').getByText(grouped(compliance.summary.orgs_met), { exact: true }).waitFor();

    // Each chart is drawn (an SVG with shapes) and labelled; its hidden table holds the API's numbers.
    for (const id of ['home-chart-category', 'home-chart-pipeline', 'home-chart-age', 'home-chart-education', 'home-chart-trend']) {
      const chart = page.getByTestId(id);
      await chart.locator('svg path').first().waitFor({ state: 'attached' });
      assert.ok(await chart.locator(':scope > [role="img"]').getAttribute('aria-label'), `${id} is labelled`);
    }
    const categoryCells = await page.getByTestId('home-chart-category').locator('table td').allTextContents();
    assert.deepEqual(categoryCells.map(Number), Object.values(stats.by_category));
    const pipelineCells = await page.getByTestId('home-chart-pipeline').locator('table td').allTextContents();
    // The funnel is the pipeline: every stage before full membership.
    const { full, ...developing } = stats.by_stage;
    assert.ok(full > 0);
    assert.deepEqual(pipelineCells.map(Number), Object.values(developing));
    const trendRows = await page.getByTestId('home-chart-trend').locator('table tbody tr th').allTextContents();
    assert.deepEqual(trendRows, trend.months.map((/** @type {{month: string}} */ m) => m.month));

    const schemes = (await department.api('/scoring/schemes')).items;
    if (schemes.length > 0) {
      await page.getByTestId('home-scheme').waitFor();
    } else {
      await page.getByText('尚无积分方案').first().waitFor();
    }
    await page.screenshot({ path: join(screenshots, 'home-county.png'), fullPage: true });
  }));

test('the branch secretary sees what is due this week', () =>
  secretary.onPage('home-secretary', async (page) => {
    const me = await secretary.api('/auth/me');
    const due = await secretary.api(`/development/due?within_days=7&org_id=${me.org_id}&limit=100`);

    await page.goto(`${baseUrl}/`);
    const home = page.getByTestId('home-branch');
    await home.waitFor();
    await home.locator('.ant-spin').waitFor({ state: 'detached' });
    const steps = page.locator('[data-testid="home-due-item"][data-kind="development"]');
    assert.equal(await steps.count(), due.items.length);
    for (const item of due.items) {
      const row = steps.filter({ hasText: item.member_name }).first();
      assert.equal(await row.getByRole('link').getAttribute('href'), `/members/${item.member_id}`);
    }
    await page.screenshot({ path: join(screenshots, 'home-secretary.png'), fullPage: true });
  }));

test('a member is welcomed and pointed to their own page', () =>
  member.onPage('home-member', async (page) => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('home-member').getByRole('link', { name: /我的积分与档案/ }).click();
    await page.waitForURL(`${baseUrl}/my`);
  }));
