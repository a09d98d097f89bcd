/// <reference lib="dom" />
// @ts-check
/**
 * An evaluation round to published results, in Debian's Chromium against a running Vanguard server with
 * the demo county: the county organisation department creates a scoring scheme for the sample branch
 * (its weights' sum shown as they are typed), opens a democratic evaluation round, records ballots by
 * several rater groups, closes the round, recomputes (a job with progress), reads the rankings and one
 * member's explanation, and publishes — after which the scheme is locked.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_USER=zuzhibu VANGUARD_SECRETARY_USER=shuji \
 *   VANGUARD_PASSWORD=... npm run e2e
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, env, screenshots, signedIn, signInApi, waitInPage } from './support.mjs';

/* global document, window -- in functions that run in the page (waitInPage) */

const staff = env('VANGUARD_USER');
const secretary = env('VANGUARD_SECRETARY_USER');

const { api, onPage } = signedIn(staff);


/**
 * Picks `name` in the searchable select labelled `label` inside `scope`.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} scope
 * @param {string} label
 * @param {string} name
 */
async function choose(page, scope, label, name) {
  const select = scope.getByLabel(label, { exact: true });
  await select.click();
  await select.fill(name);
  await page.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
}

/**
 * Records one ballot through the dialog.
 * @param {import('playwright-core').Page} page
 * @param {{member: string, group: string, rater?: string, grade?: string, score?: string}} ballot
 */
async function recordBallot(page, { member, group, rater, grade, score }) {
  const panel = page.getByTestId('round-panel');
  const before = Number((await panel.textContent())?.match(/已收评议票 (\d+) 张/)?.[1] ?? 0);
  await panel.getByRole('button', { name: /录入评议票/ }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: '被评议党员' });
  await dialog.waitFor();
  await choose(page, dialog, '被评议党员', member);
  await dialog.getByText(group, { exact: true }).click();
  if (rater) await choose(page, dialog, '评议人（党员）', rater);
  if (score) {
    await dialog.getByText('按分数', { exact: true }).click();
    await dialog.getByLabel('分数（0–100）').fill(score);
  } else {
    await dialog.getByText(grade ?? '合格', { exact: true }).click();
  }
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByText(`已收评议票 ${before + 1} 张`, { exact: false }).waitFor();
}

/** @type {{branchId: number, branchName: string, members: {id: number, name: string}[], schemeId: number}} */
const flow = { branchId: 0, branchName: '', members: [], schemeId: 0 };
const year = new Date().getFullYear();
const schemeName = `${year}年度党员积分（e2e ${Date.now()}）`;

test('the department creates a scheme for the sample branch, its weights summed as they are typed', () =>
  onPage('scoring-create', async (page) => {
    const me = await api('/auth/me', await signInApi(secretary));
    flow.branchId = me.org_id;
    flow.branchName = (await api(`/orgs/${flow.branchId}`)).name;
    // Three full members with names no one else in the branch has, to pick them by name.
    const roll = (await api(`/members?org_id=${flow.branchId}&stage=full&limit=200`)).items.filter(
      (/** @type {any} */ m) => m.org_id === flow.branchId,
    );
    const count = (/** @type {string} */ name) => roll.filter((/** @type {any} */ m) => m.name === name).length;
    flow.members = roll.filter((/** @type {any} */ m) => count(m.name) === 1).slice(0, 3).map((/** @type {any} */ m) => ({ id: m.id, name: m.name }));
    assert.equal(flow.members.length, 3, 'the sample branch has three full members with distinct names');

    await page.goto(`${baseUrl}/scoring?org=${flow.branchId}`);
    await page.getByRole('button', { name: /新建积分方案/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '自动积分规则' });
    await dialog.waitFor();
    // The list's org filter preselects the scheme's org.
    await dialog.getByText(flow.branchName).first().waitFor();
    await dialog.getByLabel('方案名称').fill(schemeName);

    // The evaluation carries the whole score in this run: the sum shows each change at once.
    const components = dialog.getByTestId('component-weights');
    await components.getByLabel('积分', { exact: true }).fill('0');
    await components.getByTestId('component-weights-sum').getByText('合计 0.6 · 须为 1').waitFor();
    await components.getByLabel('民主评议', { exact: true }).fill('1');
    await components.getByTestId('component-weights-sum').getByText('合计 1 ✓').waitFor();
    await dialog.getByTestId('rater-weights-sum').getByText('合计 1 ✓').waitFor();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
    await page.screenshot({ path: join(screenshots, 'scoring-create.png') });

    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await page.waitForURL(/\/scoring\/schemes\/\d+/);
    flow.schemeId = Number(page.url().match(/schemes\/(\d+)/)?.[1]);
    await page.getByTestId('scheme-name').getByText(schemeName).waitFor();
    const stored = await api(`/scoring/schemes/${flow.schemeId}`);
    assert.equal(stored.org_id, flow.branchId);
    assert.deepEqual(stored.component_weights, { points: '0', evaluation: '1' });
  }));

test('an evaluation round is opened, ballots recorded by several rater groups, and the round closed', () =>
  onPage('scoring-round', async (page) => {
    assert.ok(flow.schemeId, 'the scheme was not created');
    const [a, b, c] = flow.members;
    await page.goto(`${baseUrl}/scoring/schemes/${flow.schemeId}?tab=rounds`);
    await page.getByRole('button', { name: /开启评议/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '开启民主评议' });
    await dialog.getByText(flow.branchName).first().waitFor();
    await dialog.getByRole('button', { name: /开启评议/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const panel = page.getByTestId('round-panel');
    await panel.getByText('进行中').waitFor();

    await recordBallot(page, { member: a.name, group: '上级党组织评议', grade: '优秀' });
    await recordBallot(page, { member: a.name, group: '党员互评', rater: b.name, grade: '优秀' });
    await recordBallot(page, { member: b.name, group: '自评', grade: '合格' });
    await recordBallot(page, { member: b.name, group: '上级党组织评议', grade: '合格' });
    await recordBallot(page, { member: c.name, group: '上级党组织评议', score: '55' });
    await page.screenshot({ path: join(screenshots, 'scoring-round.png'), fullPage: true });

    // The fellow member's ballot names no rater, in the page and in the API.
    const table = page.getByTestId('ballot-table');
    const fellowRow = table.locator('.ant-table-row', { hasText: '党员互评' });
    await fellowRow.waitFor();
    assert.doesNotMatch((await fellowRow.textContent()) ?? '', new RegExp(b.name));
    const roundId = (await api(`/scoring/schemes/${flow.schemeId}/rounds`)).items[0].id;
    const ballots = (await api(`/scoring/rounds/${roundId}/ballots`)).items;
    assert.equal(ballots.length, 5);
    for (const ballot of ballots) assert.deepEqual(Object.keys(ballot).filter((key) => key.startsWith('rater_') && key !== 'rater_group'), []);

    await panel.getByRole('button', { name: /结束评议/ }).click();
    const confirm = page.locator('.ant-modal-confirm').filter({ hasText: '确认结束评议？' });
    await confirm.getByRole('button', { name: /结束评议/ }).click();
    await page.getByTestId('round-table').getByText('已结束').waitFor();
    assert.equal((await api(`/scoring/rounds/${roundId}`)).status, 'closed');
  }));

test('recompute runs as a job; the rankings show grades and a member’s score is explained', () =>
  onPage('scoring-results', async (page) => {
    assert.ok(flow.schemeId, 'the scheme was not created');
    const [a, b, c] = flow.members;
    await page.goto(`${baseUrl}/scoring/schemes/${flow.schemeId}?tab=results`);
    await page.getByRole('button', { name: /重新计算/ }).click();
    const progress = page.getByTestId('recompute-progress');
    await progress.getByText('计算完成').waitFor();

    const table = page.getByTestId('ranking-table');
    const rowOf = (/** @type {string} */ name) => table.locator('.ant-table-row', { has: page.getByRole('button', { name, exact: true }) });
    await rowOf(a.name).getByText('优秀').waitFor();
    await rowOf(b.name).getByText('合格', { exact: true }).waitFor();
    await rowOf(c.name).getByText('不合格').waitFor();
    assert.equal((await rowOf(a.name).locator('td').first().textContent())?.trim(), '1');
    await page.screenshot({ path: join(screenshots, 'scoring-results.png'), fullPage: true });

    await rowOf(a.name).getByRole('button', { name: a.name, exact: true }).click();
    const explanation = page.getByTestId('explanation');
    await explanation.waitFor();
    await explanation.getByText('上级党组织评议').waitFor();
    await explanation.getByText('党员互评').waitFor();
    await explanation.getByText('学习学时').waitFor();
    const result = await api(`/scoring/results/${a.id}?scheme_id=${flow.schemeId}`);
    assert.equal(result.grade, 'excellent');
    await page.getByTestId('explanation-check').getByText(`等于综合得分 ${result.score}`).waitFor();
    assert.equal((await page.getByTestId('explanation-total').textContent())?.trim(), result.score);
    // The drawer has finished sliding in.
    await waitInPage(page, () => {
      const d = document.querySelector('.ant-drawer-content-wrapper');
      return d !== null && Math.abs(d.getBoundingClientRect().right - window.innerWidth) < 1;
    });
    await page.screenshot({ path: join(screenshots, 'scoring-explanation.png') });

    // 星级 of the branch, from its members' scores.
    await page.keyboard.press('Escape');
    await explanation.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: '支部星级' }).click();
    const branchRow = page.getByTestId('branch-table').locator('.ant-table-row', { hasText: flow.branchName });
    await branchRow.locator('.ant-rate').waitFor();
    const [stars] = (await api(`/scoring/schemes/${flow.schemeId}/branches`)).items;
    assert.equal(await branchRow.locator('.ant-rate-star-full').count(), stars.stars);
  }));

test('the results are published after a confirm and the scheme is locked', () =>
  onPage('scoring-publish', async (page) => {
    assert.ok(flow.schemeId, 'the scheme was not created');
    await page.goto(`${baseUrl}/scoring/schemes/${flow.schemeId}`);
    await page.getByTestId('publish-scheme').click();
    const confirm = page.locator('.ant-modal-confirm').filter({ hasText: '确认发布结果？' });
    await confirm.getByRole('button', { name: /发布结果/ }).click();
    await page.getByTestId('scheme-status').getByText('已发布').waitFor();
    await page.getByTestId('publish-scheme').waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('button', { name: /修改规则与权重/ }).count(), 0);
    const stored = await api(`/scoring/schemes/${flow.schemeId}`);
    assert.equal(stored.status, 'published');
    // Each 不合格 member now has a follow-up case.
    const cases = await api(`/scoring/cases?scheme_id=${flow.schemeId}&limit=500`);
    assert.ok(cases.items.some((/** @type {any} */ item) => item.member_id === flow.members[2]?.id));
    await page.getByRole('tab', { name: '不合格整改' }).click();
    await page.locator('.ant-table-row', { hasText: '谈话教育' }).first().getByRole('button', { name: '记录谈话' }).waitFor();
    await page.getByRole('tab', { name: '加减分事项' }).click();
    await page.getByText('暂无加减分事项').waitFor();

    await page.goto(`${baseUrl}/scoring?org=${flow.branchId}`);
    const row = page.getByTestId('scheme-table').locator('.ant-table-row', { hasText: schemeName });
    await row.getByText('已发布').waitFor();
    await row.getByText(flow.branchName).waitFor();
    await page.screenshot({ path: join(screenshots, 'scoring-schemes.png'), fullPage: true });
  }));
