import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import { t } from '../i18n';
import type { Keyset } from '../lib/useKeyset';

const PAGE_SIZES = [20, 50, 100];

interface Props {
  keyset: Keyset;
  nextCursor: string | null | undefined;
  loading: boolean;
  pageSize: number;
  onPageSize: (size: number) => void;
  info?: React.ReactNode;
}

/** Previous / next over keyset pages, with the page size. */
export function Pager({ keyset, nextCursor, loading, pageSize, onPageSize, info }: Props) {
  return (
    <div className="pager">
      <Typography.Text type="secondary">
        {t.common.pageNo(keyset.pageNo)}
        {info ? <> · {info}</> : null}
      </Typography.Text>
      <Space>
        <Select
          aria-label={t.common.pageSize(pageSize)}
          value={pageSize}
          onChange={onPageSize}
          options={PAGE_SIZES.map((size) => ({ value: size, label: t.common.pageSize(size) }))}
          style={{ width: 110 }}
        />
        <Button icon={<LeftOutlined />} disabled={!keyset.previous} onClick={() => keyset.previous?.()}>
          {t.common.previous}
        </Button>
        <Button
          disabled={!nextCursor || loading}
          onClick={() => {
            if (nextCursor) keyset.next(nextCursor);
          }}
        >
          {t.common.next}
          <RightOutlined />
        </Button>
      </Space>
    </div>
  );
}
