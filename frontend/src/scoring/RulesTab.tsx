import { EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Form, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { updateScoringScheme, type RuleRead, type SchemeRead } from '../api';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { etagOf, sourceLabel } from './labels';
import { showLocalizedFieldErrors } from './problemFields';
import { updateBody, valuesFromScheme, type SchemeValues } from './schemeBody';
import { SchemeForm } from './SchemeForm';
import { COMPONENTS, RATER_GROUPS } from './weights';

const s = t.scoring;
const ff = s.form;
const empty = t.common.empty;

function RulesTable({ rules }: { rules: RuleRead[] }) {
  return (
    <Table<RuleRead>
      size="small"
      rowKey={(rule) => `${rule.source}|${rule.label ?? ''}|${rule.points_per_unit}`}
      pagination={false}
      dataSource={rules}
      locale={{ emptyText: ff.noRules }}
      columns={[
        { key: 'source', title: ff.source, render: (_, rule) => sourceLabel(rule.source) },
        { key: 'points', title: ff.pointsPerUnit, render: (_, rule) => rule.points_per_unit },
        { key: 'cap', title: ff.cap, render: (_, rule) => rule.cap ?? ff.noCap },
        { key: 'window', title: ff.window, render: (_, rule) => s.windows[rule.period] },
        { key: 'label', title: ff.ruleLabel, render: (_, rule) => rule.label ?? empty },
      ]}
    />
  );
}

function Parameters({ scheme }: { scheme: SchemeRead }) {
  const weights = <K extends string>(keys: readonly K[], labels: Record<K, string>, values: Record<string, string>) => (
    <Space wrap size={4}>
      {keys.map((key) => (
        <Tag key={key}>
          {labels[key]} {values[key] ?? '0'}
        </Tag>
      ))}
    </Space>
  );
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ marginTop: 16 }}
      items={[
        { key: 'components', label: ff.componentWeights, children: weights(COMPONENTS, s.components, scheme.component_weights) },
        { key: 'raters', label: ff.raterWeights, children: weights(RATER_GROUPS, s.raterGroups, scheme.rater_weights) },
        { key: 'full', label: ff.fullPoints, children: scheme.full_points },
        {
          key: 'thresholds',
          label: ff.thresholdsLabel,
          children: s.thresholdsText(scheme.grade_thresholds.excellent ?? empty, scheme.grade_thresholds.qualified ?? empty, scheme.grade_thresholds.basic ?? empty),
        },
        { key: 'cap', label: ff.excellentCap, children: `${scheme.excellent_cap[0]} / ${scheme.excellent_cap[1]}` },
      ]}
    />
  );
}

/** The scheme's rules and weights; writers edit them (the next version, If-Match) until it is published. */
export function RulesTab({ scheme, onChanged }: { scheme: SchemeRead; onChanged: () => void }) {
  const canWrite = useCan('scoring:write');
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<SchemeValues>();
  const locked = scheme.status === 'published';

  const save = async (values: SchemeValues) => {
    setSaving(true);
    setError(null);
    try {
      await updateScoringScheme({ path: { scheme_id: scheme.id }, body: updateBody(values), headers: { 'if-match': etagOf(scheme.version) } });
      void message.success(s.saved);
      setEditing(false);
      onChanged();
    } catch (caught) {
      const stale = caught instanceof ApiError && caught.status === 412;
      setError(stale ? s.staleReloaded : errorMessage(caught));
      showLocalizedFieldErrors(form, caught);
      if (stale) onChanged();
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <div data-testid="rules-editor">
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
        <SchemeForm form={form} mode="edit" initialValues={valuesFromScheme(scheme)} onFinish={(values) => void save(values)} />
        <Space>
          <Button type="primary" loading={saving} onClick={() => { form.submit(); }}>
            {t.common.save}
          </Button>
          <Button
            onClick={() => {
              setEditing(false);
              setError(null);
            }}
          >
            {t.common.cancel}
          </Button>
        </Space>
      </div>
    );
  }

  return (
    <div data-testid="rules-view">
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text type="secondary">{locked ? s.lockedHint : s.versionHint}</Typography.Text>
        {canWrite && !locked ? (
          <Button
            icon={<EditOutlined />}
            onClick={() => {
              setEditing(true);
            }}
          >
            {s.editRules}
          </Button>
        ) : null}
      </Space>
      <RulesTable rules={scheme.rules} />
      <Parameters scheme={scheme} />
    </div>
  );
}
