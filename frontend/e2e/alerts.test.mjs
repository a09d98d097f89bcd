// @ts-check
/**
 * 风险预警 in Debian's Chromium against a running Vanguard server with the demo county: the county
 * organisation department opens /alerts, runs the analysis for China's today (the picker's default) and
 * the page says what fired (or that nothing did), matching the list the API then holds; it opens the
 * 需关注党员 tab and sees the members the API lists, or the empty state. No error shows on the way.
 *
 *   frontend/e2e/run-against-backend.sh e2e/alerts.test.mjs
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl, env, signedIn } from './support.mjs';

const department = signedIn(env('VANGUARD_USER'));

/** Today in China, as the run's day picker defaults to it. */
const todayInChina = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

test('the county runs the analysis for today and sees what fired', () =>
  department.onPage('alerts-run', async (page) => {
    await page.goto(`${baseUrl}/alerts`);
    await page.getByRole('tab', { name: '预警列表', selected: true }).waitFor();
    await page.getByTestId('alert-table').waitFor();
    await page.getByRole('button', { name: /运行分析/ }).click();
    const result = page.getByTestId('run-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    const today = todayInChina();
    assert.match(text, new RegExp(`${today} 的分析(触发了 \\d+ 条新预警|未发现新的异常)`));
    assert.equal(await page.locator('.ant-alert-error').count(), 0, 'no error shown');

    // What the page says matches what the API now holds for today.
    const fired = Number(/触发了 (\d+) 条/.exec(text)?.[1] ?? 0);
    const listed = (await department.api('/alerts?limit=200')).items.filter((/** @type {any} */ a) => a.day === today);
    assert.ok(listed.length >= fired, `${fired} fired, ${listed.length} listed for ${today}`);
    if (listed.length) await page.getByTestId(`why-${listed[0].id}`).waitFor();
    else await page.getByTestId('alert-table').getByText('暂无预警').waitFor();
  }));

test('the county opens the members needing attention', () =>
  department.onPage('alerts-attention', async (page) => {
    const listed = await department.api('/alerts/attention?limit=20');
    await page.goto(`${baseUrl}/alerts`);
    await page.getByRole('tab', { name: '需关注党员' }).click();
    await page.waitForURL(/\/alerts\/attention$/);
    const table = page.getByTestId('attention-table');
    await table.waitFor();
    if (listed.items.length) {
      const first = listed.items[0];
      await page.getByTestId(`reasons-${first.member_id}`).locator('.ant-tag').first().waitFor();
      await table.getByRole('link', { name: first.member_name }).first().waitFor();
    } else {
      await table.getByText('暂无需要关注的党员').waitFor();
    }
    assert.equal(await page.locator('.ant-alert-error').count(), 0, 'no error shown');
  }));
