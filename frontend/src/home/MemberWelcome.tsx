import { ApartmentOutlined, IdcardOutlined } from '@ant-design/icons';
import { Button, Card, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useAuth } from '../auth/authContext';
import { t } from '../i18n';

const h = t.home;

/** A member's home: a greeting and the way to their own page. */
export function MemberWelcome() {
  const { user } = useAuth();
  return (
    <Card data-testid="home-member">
      <Typography.Title level={4}>{h.welcomeTitle(user?.display_name ?? '')}</Typography.Title>
      <Typography.Paragraph type="secondary">{h.welcomeText}</Typography.Paragraph>
      <Space wrap>
        <Link to="/my">
          <Button type="primary" icon={<IdcardOutlined />}>
            {h.links.my}
          </Button>
        </Link>
        <Link to="/orgs">
          <Button icon={<ApartmentOutlined />}>{h.links.orgs}</Button>
        </Link>
      </Space>
    </Card>
  );
}
