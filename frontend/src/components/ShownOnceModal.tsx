import { Alert, Button, Modal, Typography } from 'antd';
import { t } from '../i18n';

interface Props {
  title: string;
  /** The secret, kept only in this modal's props: never stored, gone when the modal closes. */
  secret: string;
  /** Why it is shown only now. */
  warning: string;
  doneText: string;
  onClose: () => void;
}

/**
 * A secret the API returns once (a signing secret, an access token): a warning, the secret with a copy
 * button, and a single way out so that it is not closed by a stray click.
 */
export function ShownOnceModal({ title, secret, warning, doneText, onClose }: Props) {
  return (
    <Modal
      open
      title={title}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {doneText}
        </Button>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={warning} style={{ marginBottom: 16 }} role="alert" />
      <Typography.Paragraph
        className="mono"
        data-testid="shown-once-secret"
        copyable={{ text: secret, tooltips: [t.shownOnce.copy, t.shownOnce.copied] }}
        style={{ overflowWrap: 'anywhere', background: 'rgba(0,0,0,0.04)', padding: '8px 12px', borderRadius: 6 }}
      >
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
