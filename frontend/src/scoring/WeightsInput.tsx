import { InputNumber, Space, Tag } from 'antd';
import { t } from '../i18n';
import { formatWeight, sumsToOne, weightSum, type WeightValues } from './weights';

interface Props<K extends string> {
  id?: string;
  keys: readonly K[];
  labels: Record<K, string>;
  value?: WeightValues<K>;
  onChange?: (value: WeightValues<K>) => void;
  disabled?: boolean;
  testId: string;
}

/** A set of weights that must add up to 1, with their sum shown as it is typed (green at 1, red otherwise). */
export function WeightsInput<K extends string>({ id, keys, labels, value = {}, onChange, disabled, testId }: Props<K>) {
  const sum = weightSum(value);
  const ok = sumsToOne(value);
  return (
    <Space id={id} wrap size={[12, 8]} align="center" data-testid={testId}>
      {keys.map((key) => (
        <Space.Compact key={key}>
          <Space.Addon>{labels[key]}</Space.Addon>
          <InputNumber<number>
            aria-label={labels[key]}
            min={0}
            max={1}
            step={0.05}
            precision={4}
            disabled={disabled}
            value={value[key] ?? null}
            onChange={(next) => onChange?.({ ...value, [key]: next })}
            style={{ width: 96 }}
          />
        </Space.Compact>
      ))}
      <Tag color={ok ? 'green' : 'red'} data-testid={`${testId}-sum`}>
        {t.scoring.form.weightSum(formatWeight(sum))}
        {ok ? ' ✓' : ` · ${t.scoring.form.mustBeOne}`}
      </Tag>
    </Space>
  );
}

