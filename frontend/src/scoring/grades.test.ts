import { gradeColor, gradeLabel, gradeNoteLabel } from './grades';

describe('grade labels', () => {
  it('names each grade', () => {
    expect(gradeLabel({ grade: 'excellent', probationary: false })).toBe('优秀');
    expect(gradeLabel({ grade: 'qualified', probationary: false })).toBe('合格');
    expect(gradeLabel({ grade: 'basic', probationary: false })).toBe('基本合格');
    expect(gradeLabel({ grade: 'unqualified', probationary: false })).toBe('不合格');
  });

  it('shows probationary members as not graded, whatever the row says', () => {
    expect(gradeLabel({ grade: null, probationary: true })).toBe('预备党员（不评定等次）');
    expect(gradeLabel({ grade: 'excellent', probationary: true })).toBe('预备党员（不评定等次）');
    expect(gradeColor({ grade: 'excellent', probationary: true })).toBeUndefined();
    expect(gradeColor({ grade: 'excellent', probationary: false })).toBe('red');
  });

  it('explains the 优秀 cap and passes unknown notes through', () => {
    expect(gradeNoteLabel('excellent_cap_tie')).toContain('并列');
    expect(gradeNoteLabel(null)).toBeNull();
    expect(gradeNoteLabel('something_new')).toBe('something_new');
  });
});
