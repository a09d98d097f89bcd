import { Card, Col, Empty, Row } from 'antd';
import { useState } from 'react';
import type { OrgRead } from '../api';
import { t } from '../i18n';
import { OrgDetail } from './OrgDetail';
import { OrgTreeCard } from './OrgTreeCard';

/** The organisation tree, with the selected organisation's details beside it. */
export function OrgTreePage() {
  const [selected, setSelected] = useState<OrgRead | null>(null);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10} xxl={8}>
        <OrgTreeCard selectedId={selected?.id ?? null} onSelect={setSelected} />
      </Col>
      <Col xs={24} lg={14} xxl={16}>
        {selected ? (
          <OrgDetail org={selected} />
        ) : (
          <Card>
            <Empty description={t.org.selectHint} />
          </Card>
        )}
      </Col>
    </Row>
  );
}
