import { screen, within } from '@testing-library/react';
import type { StudyArchive, StudyArchiveAttendance } from '../api';
import { jsonResponse } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { StudyArchiveTab } from './StudyArchiveTab';

function attended(id: number, day: string, topic: string): StudyArchiveAttendance {
  return { activity_id: id, org_name: '罗湾村党支部', kind: 'theme_day', topic, starts_at: `${day}T01:00:00Z`, day, hours: 3, status: 'present', leave_reason: null, made_up: false };
}

const archive: StudyArchive = {
  member: { id: 11, name: '张三', org_id: 3, org_name: '罗湾村党支部' },
  start: '2026-01-01',
  end: '2026-12-31',
  totals: { hours: 6, hours_by_kind: [], attended: 2, excused: 0, absent: 0, exams_passed: 0, exams_failed: 0 },
  by_year: [],
  // As the API sends them: in the order they were held.
  activities: [attended(1, '2026-01-12', '重温入党誓词'), attended(2, '2026-11-20', '走访慰问困难群众')],
  absences: [],
  makeups: [],
  exams: [],
  reports: [],
};

describe('StudyArchiveTab', () => {
  it('lists the latest meeting first', async () => {
    renderPage(<StudyArchiveTab memberId={11} />, { path: '/', at: '/', routes: { 'GET /api/v1/members/11/study': () => jsonResponse(archive) } });
    const card = (await screen.findByText('参加的学习活动')).closest('.ant-card');
    if (!(card instanceof HTMLElement)) throw new Error('the activities are in a card');
    const rows = within(card).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).queryByText(/重温入党誓词|走访慰问困难群众/)?.textContent)).toEqual(['走访慰问困难群众', '重温入党誓词']);
  });
});
