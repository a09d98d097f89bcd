import { BulbOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tag, Typography } from 'antd';
import { listComplaintCategories, suggestComplaintRouting, type ComplaintCategory, type Suggestion } from '../api';
import { useOrgNames } from '../components/useNames';
import { LOCALE, t } from '../i18n';
import { useLoader } from '../lib/useLoader';

const s = t.alerts.suggest;

const percent = (share: number): number => Math.round(share * 100);

/** A category's name by its code, anywhere in the tree. */
function nameByCode(tree: ComplaintCategory[], code: string): string | undefined {
  for (const category of tree) {
    if (category.code === code) return (LOCALE as string) === 'en' ? category.name_en : category.name_zh;
    const found = nameByCode(category.children ?? [], code);
    if (found) return found;
  }
  return undefined;
}

interface Props {
  /** The complaint's words (title and description). */
  text: string;
  /** Its category now, to say whether the suggestion agrees. */
  categoryCode: string;
  /** Fills the form's org field with the suggested org. */
  onAdoptOrg: (orgId: number) => void;
}

/**
 * 建议分类 / 建议责任单位 from the most similar past complaints (`POST /alerts/suggest`), each with its
 * confidence; "采用" puts the suggested org into the form. Only a hint: it says nothing when it fails.
 */
export function RoutingSuggestion({ text, categoryCode, onAdoptOrg }: Props) {
  const suggestion = useLoader<Suggestion>(() => suggestComplaintRouting({ body: { text } }).then(({ data }) => data), text);
  const categories = useLoader<ComplaintCategory[]>(() => listComplaintCategories().then(({ data }) => data), 'categories');
  const data = suggestion.data;
  const orgNames = useOrgNames(data?.org_id ? [data.org_id] : []);
  if (!data) return null;
  if (data.category === null && data.org_id === null) {
    return <Alert type="info" showIcon icon={<BulbOutlined />} title={s.none} style={{ marginBottom: 16 }} data-testid="routing-suggestion" />;
  }
  const categoryName = data.category ? (nameByCode(categories.data ?? [], data.category) ?? data.category) : null;
  const orgId = data.org_id;
  return (
    <Alert
      type="info"
      showIcon
      icon={<BulbOutlined />}
      style={{ marginBottom: 16 }}
      data-testid="routing-suggestion"
      title={s.title}
      description={
        <Space orientation="vertical" size={4}>
          {categoryName ? (
            <Space size={8} wrap>
              <Typography.Text type="secondary">{s.category}：</Typography.Text>
              <Typography.Text strong>{categoryName}</Typography.Text>
              <Tag>{s.confidence(percent(data.confidence))}</Tag>
              {data.category === categoryCode ? <Typography.Text type="secondary">{s.sameCategory}</Typography.Text> : null}
            </Space>
          ) : null}
          {orgId !== null ? (
            <Space size={8} wrap>
              <Typography.Text type="secondary">{s.org}：</Typography.Text>
              <Typography.Text strong>{orgNames[orgId] ?? `#${String(orgId)}`}</Typography.Text>
              <Tag>{s.confidence(percent(data.org_confidence))}</Tag>
              <Button
                size="small"
                type="primary"
                ghost
                onClick={() => {
                  onAdoptOrg(orgId);
                }}
              >
                {s.adopt}
              </Button>
            </Space>
          ) : null}
          {data.basis.length ? <Typography.Text type="secondary">{s.basis(data.basis.length)}</Typography.Text> : null}
        </Space>
      }
    />
  );
}
