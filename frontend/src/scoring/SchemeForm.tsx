import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Divider, Form, Input, InputNumber, Select, Space, Table, Typography, type FormInstance } from 'antd';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { sourceLabel, SOURCES } from './labels';
import type { SchemeValues } from './schemeBody';
import { COMPONENTS, RATER_GROUPS, weightsRule } from './weights';
import { WeightsInput } from './WeightsInput';

const s = t.scoring;
const ff = s.form;
const required = [{ required: true, message: ff.required }];

const sourceOptions = SOURCES.map((source) => ({ value: source, label: sourceLabel(source) }));
const windowOptions = (['scheme', 'quarter'] as const).map((value) => ({ value, label: s.windows[value] }));
const quarterOptions = [
  { value: 0, label: ff.wholeYear },
  ...[1, 2, 3, 4].map((quarter) => ({ value: quarter, label: ff.quarter(quarter) })),
];

/** The automatic rules as an editable table: source, points per unit, cap, window, label. */
function RulesList() {
  return (
    <Form.List name="rules">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={fields}
            locale={{ emptyText: ff.noRules }}
            scroll={{ x: 'max-content' }}
            columns={[
              {
                key: 'source',
                title: ff.source,
                render: (_, field) => (
                  <Form.Item name={[field.name, 'source']} rules={required} style={{ margin: 0 }}>
                    <Select aria-label={ff.source} options={sourceOptions} style={{ width: 200 }} showSearch={{ optionFilterProp: 'label' }} />
                  </Form.Item>
                ),
              },
              {
                key: 'points',
                title: ff.pointsPerUnit,
                render: (_, field) => (
                  <Form.Item name={[field.name, 'points_per_unit']} rules={required} style={{ margin: 0 }}>
                    <InputNumber<number> aria-label={ff.pointsPerUnit} min={-100} max={100} step={0.5} precision={2} style={{ width: 110 }} />
                  </Form.Item>
                ),
              },
              {
                key: 'cap',
                title: ff.cap,
                render: (_, field) => (
                  <Form.Item name={[field.name, 'cap']} style={{ margin: 0 }}>
                    <InputNumber<number> aria-label={ff.cap} min={0.01} max={1000} precision={2} placeholder={ff.noCap} style={{ width: 110 }} />
                  </Form.Item>
                ),
              },
              {
                key: 'period',
                title: ff.window,
                render: (_, field) => (
                  <Form.Item name={[field.name, 'period']} style={{ margin: 0 }}>
                    <Select aria-label={ff.window} options={windowOptions} style={{ width: 120 }} />
                  </Form.Item>
                ),
              },
              {
                key: 'label',
                title: ff.ruleLabel,
                render: (_, field) => (
                  <>
                    <Form.Item name={[field.name, 'label']} style={{ margin: 0 }}>
                      <Input aria-label={ff.ruleLabel} maxLength={100} style={{ width: 160 }} />
                    </Form.Item>
                    {/* Kept as loaded: a rule limited to member categories stays limited. */}
                    <Form.Item name={[field.name, 'categories']} hidden noStyle>
                      <Input />
                    </Form.Item>
                  </>
                ),
              },
              {
                key: 'remove',
                width: 48,
                render: (_, field) => (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={ff.removeRule}
                    onClick={() => {
                      remove(field.name);
                    }}
                  />
                ),
              },
            ]}
          />
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            style={{ marginTop: 8 }}
            onClick={() => {
              add({ source: undefined, points_per_unit: 1, cap: null, period: 'scheme' });
            }}
          >
            {ff.addRule}
          </Button>
        </>
      )}
    </Form.List>
  );
}

interface Props {
  form: FormInstance<SchemeValues>;
  initialValues: SchemeValues;
  /** `edit`: the org and period are fixed, only the rules and parameters change. */
  mode: 'create' | 'edit';
  onFinish: (values: SchemeValues) => void;
}

/** A scheme's org, period, rules and weights; each set of weights shows its sum live and must add up to 1. */
export function SchemeForm({ form, initialValues, mode, onFinish }: Props) {
  return (
    <Form<SchemeValues> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} scrollToFirstError>
      <Space wrap size={16} align="start">
        {mode === 'create' ? (
          <Form.Item name="org_id" label={ff.org} rules={required}>
            <OrgPicker aria-label={ff.org} allowClear={false} style={{ width: 260 }} />
          </Form.Item>
        ) : null}
        <Form.Item name="name" label={ff.name} rules={[{ required: true, whitespace: true, message: ff.required }]}>
          <Input maxLength={100} style={{ width: 260 }} />
        </Form.Item>
        {mode === 'create' ? (
          <>
            <Form.Item name="year" label={ff.year} rules={required}>
              <InputNumber<number> min={2000} max={2100} precision={0} style={{ width: 110 }} />
            </Form.Item>
            <Form.Item name="quarter" label={ff.period} getValueProps={(value: number | null) => ({ value: value ?? 0 })} normalize={(value: number) => value || null}>
              <Select aria-label={ff.period} options={quarterOptions} style={{ width: 130 }} />
            </Form.Item>
          </>
        ) : null}
      </Space>
      <Divider titlePlacement="start">{ff.rules}</Divider>
      <Typography.Paragraph type="secondary">{ff.rulesHint}</Typography.Paragraph>
      <RulesList />
      <Divider titlePlacement="start">{ff.weights}</Divider>
      <Form.Item name="component_weights" label={ff.componentWeights} rules={[weightsRule]} extra={ff.componentWeightsHint}>
        <WeightsInput keys={COMPONENTS} labels={s.components} testId="component-weights" />
      </Form.Item>
      <Form.Item name="rater_weights" label={ff.raterWeights} rules={[weightsRule]} extra={ff.raterWeightsHint}>
        <WeightsInput keys={RATER_GROUPS} labels={s.raterGroups} testId="rater-weights" />
      </Form.Item>
      <Divider titlePlacement="start">{ff.grading}</Divider>
      <Space wrap size={16} align="start">
        <Form.Item name="full_points" label={ff.fullPoints} rules={required}>
          <InputNumber<number> min={1} max={10000} precision={2} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name={['grade_thresholds', 'excellent']} label={ff.thresholds.excellent} rules={required}>
          <InputNumber<number> min={0} max={100} precision={2} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name={['grade_thresholds', 'qualified']} label={ff.thresholds.qualified} rules={required}>
          <InputNumber<number> min={0} max={100} precision={2} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name={['grade_thresholds', 'basic']} label={ff.thresholds.basic} rules={required}>
          <InputNumber<number> min={0} max={100} precision={2} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item label={ff.excellentCap} extra={ff.excellentCapHint}>
          <Space.Compact>
            <Form.Item name={['excellent_cap', 0]} noStyle rules={required}>
              <InputNumber<number> aria-label={ff.capNumerator} min={1} max={100} precision={0} style={{ width: 70 }} />
            </Form.Item>
            <Space.Addon>/</Space.Addon>
            <Form.Item name={['excellent_cap', 1]} noStyle rules={required}>
              <InputNumber<number> aria-label={ff.capDenominator} min={1} max={100} precision={0} style={{ width: 70 }} />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
      </Space>
    </Form>
  );
}
