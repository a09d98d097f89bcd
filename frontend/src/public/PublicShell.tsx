import { StarFilled } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { t } from '../i18n';

/** The frame of a page for the masses (no account, phone first): a header with title and subtitle, one column, a staff login link. */
export function PublicShell({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <div className="public-page">
      <header className="public-header">
        <StarFilled className="app-brand-mark" aria-hidden />
        <div>
          <h1>{title}</h1>
          <p>{subtitle}</p>
        </div>
      </header>
      <main className="public-main">
        {children}
        <p className="public-footer">
          <Link to="/login">{t.publicComplaints.staffLogin}</Link>
        </p>
      </main>
    </div>
  );
}
