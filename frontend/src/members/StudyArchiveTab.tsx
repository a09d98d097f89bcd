import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { exportMemberStudy, getMemberStudy, printMemberStudy, type StudyArchiveAttendance, type StudyArchiveExam } from '../api';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { dispositionFilename, saveBlob } from '../lib/download';
import { formatDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { KIND_COLORS } from '../study/kinds';
import { pickerToday } from '../lib/dates';

const ar = t.archive;

function AttendanceTable({ rows, withReason }: { rows: StudyArchiveAttendance[]; withReason: boolean }) {
  // The API lists a year in order (as the export prints it); on screen the latest comes first.
  const newestFirst = [...rows].reverse();
  return (
    <Table<StudyArchiveAttendance>
      rowKey="activity_id"
      size="small"
      dataSource={newestFirst}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: ar.noActivities }}
      columns={[
        { key: 'day', title: ar.day, render: (_, r) => formatDate(r.day) },
        { key: 'kind', title: ar.kind, render: (_, r) => <Tag color={KIND_COLORS[r.kind]}>{t.study.kinds[r.kind]}</Tag> },
        { key: 'topic', title: ar.topic, render: (_, r) => r.topic },
        { key: 'org', title: t.study.fields.org, render: (_, r) => r.org_name },
        ...(withReason
          ? [
              { key: 'status', title: ar.status, render: (_: unknown, r: StudyArchiveAttendance) => t.attendanceTaking.statuses[r.status] },
              { key: 'reason', title: ar.reason, render: (_: unknown, r: StudyArchiveAttendance) => r.leave_reason ?? t.common.empty },
              {
                key: 'madeUp',
                title: ar.madeUp,
                render: (_: unknown, r: StudyArchiveAttendance) => (r.made_up ? <Tag color="green">{ar.madeUp}</Tag> : null),
              },
            ]
          : [{ key: 'hours', title: ar.hoursCol, align: 'right' as const, render: (_: unknown, r: StudyArchiveAttendance) => r.hours }]),
      ]}
    />
  );
}

/**
 * 学习档案: hours, attendance, absences, exams and make-up study, with the XLSX export and the printable page
 * for readers of members (a member reading their own archive gets neither).
 */
export function StudyArchiveTab({ memberId }: { memberId: number }) {
  const { message } = App.useApp();
  const canExport = useCan('members:read');
  const thisYear = pickerToday().year();
  const [year, setYear] = useState<number | null>(thisYear);
  const [busy, setBusy] = useState<'xlsx' | 'print' | null>(null);
  const query = year === null ? {} : { year };
  const archive = useLoader(
    () => getMemberStudy({ path: { member_id: memberId }, query }).then(({ data }) => data),
    `${memberId}|${year ?? ''}`,
  );

  // The exports need the bearer token, so they are fetched here and handed to the browser.
  const exportXlsx = async () => {
    setBusy('xlsx');
    try {
      const { data, response } = await exportMemberStudy({ path: { member_id: memberId }, query, parseAs: 'blob' });
      saveBlob(data, dispositionFilename(response.headers.get('Content-Disposition'), `study-${memberId}.xlsx`));
      void message.success(ar.exported);
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const print = async () => {
    // Opened before the request so that pop-up blockers see it come from the click.
    const tab = window.open('', '_blank');
    setBusy('print');
    try {
      const { data } = await printMemberStudy({ path: { member_id: memberId }, query, parseAs: 'text' });
      const url = URL.createObjectURL(new Blob([data], { type: 'text/html;charset=utf-8' }));
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch (error) {
      tab?.close();
      void message.error(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const data = archive.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div className="pager" style={{ marginTop: 0 }}>
        <Space wrap>
          <Select<number | null>
            aria-label={ar.allYears}
            value={year}
            onChange={setYear}
            options={[
              { value: null, label: ar.allYears },
              ...[0, 1, 2, 3, 4].map((back) => ({ value: thisYear - back, label: ar.year(thisYear - back) })),
            ]}
            style={{ width: 130 }}
          />
          {data ? <Typography.Text type="secondary">{ar.range(formatDate(data.start), formatDate(data.end))}</Typography.Text> : null}
        </Space>
        {canExport ? (
          <Space wrap>
            <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => void exportXlsx()}>
              {ar.exportXlsx}
            </Button>
            <Button icon={<PrinterOutlined />} loading={busy === 'print'} onClick={() => void print()}>
              {ar.print}
            </Button>
          </Space>
        ) : null}
      </div>
      {archive.error ? <Alert type="error" showIcon title={errorMessage(archive.error)} /> : null}
      {!data ? (
        archive.error ? null : <Skeleton active />
      ) : (
        <>
          <Row gutter={[16, 16]}>
            {[
              [ar.hours, data.totals.hours],
              [ar.attended, data.totals.attended],
              [ar.excused, data.totals.excused],
              [ar.absent, data.totals.absent],
              [ar.examsPassed, data.totals.exams_passed],
              [ar.examsFailed, data.totals.exams_failed],
            ].map(([title, value]) => (
              <Col key={title} xs={8} md={4}>
                <Statistic title={title} value={value} />
              </Col>
            ))}
          </Row>
          {data.totals.hours_by_kind.length > 0 ? (
            <Space wrap>
              <Typography.Text type="secondary">{ar.byKind}</Typography.Text>
              {data.totals.hours_by_kind.map(({ kind, hours }) => (
                <Tag key={kind} color={KIND_COLORS[kind]}>
                  {t.study.kinds[kind]} {hours}
                </Tag>
              ))}
            </Space>
          ) : null}
          <Card size="small" title={ar.activities}>
            <AttendanceTable rows={data.activities.filter((row) => row.status === 'present')} withReason={false} />
          </Card>
          <Card size="small" title={ar.absences}>
            <AttendanceTable rows={data.absences} withReason />
          </Card>
          {data.exams.length > 0 ? (
            <Card size="small" title={ar.exams}>
              <Table<StudyArchiveExam>
                rowKey="exam_id"
                size="small"
                pagination={false}
                dataSource={data.exams}
                columns={[
                  { key: 'title', title: ar.examTitle, render: (_, e) => e.title },
                  { key: 'topic', title: ar.topic, render: (_, e) => e.activity_topic },
                  {
                    key: 'attempts',
                    title: ar.attempts,
                    render: (_, e) => e.attempts.map((a) => `${a.score}/${e.max_score}`).join('，'),
                  },
                  {
                    key: 'passed',
                    title: ar.passed,
                    render: (_, e) => <Tag color={e.passed ? 'green' : 'red'}>{e.passed ? ar.passed : ar.failed}</Tag>,
                  },
                ]}
              />
            </Card>
          ) : null}
          {data.makeups.length > 0 ? (
            <Card size="small" title={ar.makeups}>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={data.makeups}
                columns={[
                  { key: 'day', title: ar.day, render: (_, m) => formatDate(m.studied_on) },
                  { key: 'topic', title: ar.topic, render: (_, m) => m.topic },
                  { key: 'method', title: ar.method, render: (_, m) => m.method },
                  { key: 'hours', title: ar.hoursCol, align: 'right', render: (_, m) => m.hours },
                ]}
              />
            </Card>
          ) : null}
        </>
      )}
    </Space>
  );
}
