import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../lib/apiError';
import { dispositionFilename, saveBlob } from '../lib/download';

export type ExportFormat = 'xlsx' | 'csv';

interface Props {
  /** Fetches the file (the exports need the bearer token, so the page fetches them, not the browser). */
  download: (format: ExportFormat) => Promise<{ data: unknown; response: Response }>;
  /** The file name when the server's `Content-Disposition` gives none; `.xlsx`/`.csv` is appended. */
  basename: string;
  labels: Record<ExportFormat, string>;
  done: string;
}

/** Excel and CSV downloads of a list with its current filters. */
export function ExportButtons({ download, basename, labels, done }: Props) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  const run = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const { data, response } = await download(format);
      saveBlob(data as Blob, dispositionFilename(response.headers.get('Content-Disposition'), `${basename}.${format}`));
      void message.success(done);
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space>
      {(['xlsx', 'csv'] as const).map((format) => (
        <Button key={format} icon={<DownloadOutlined />} loading={busy === format} disabled={busy !== null} onClick={() => void run(format)}>
          {labels[format]}
        </Button>
      ))}
    </Space>
  );
}
