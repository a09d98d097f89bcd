import { Tag } from 'antd';
import type { OrgRead } from '../api';
import { t } from '../i18n';
import { orgKindColor, orgKindLabel } from './kinds';

/** The name with the first occurrence of `query` highlighted. */
function Highlighted({ text, query }: { text: string; query: string }) {
  const needle = query.trim().toLowerCase();
  const at = needle ? text.toLowerCase().indexOf(needle) : -1;
  if (at < 0) {
    return text;
  }
  return (
    <>
      {text.slice(0, at)}
      <span className="org-match">{text.slice(at, at + needle.length)}</span>
      {text.slice(at + needle.length)}
    </>
  );
}

/** A tree node's label: name, kind tag and the subtree's member count. */
export function OrgTitle({ org, query }: { org: OrgRead; query: string }) {
  return (
    <span className="org-title">
      <span className="org-title-name">
        <Highlighted text={org.name} query={query} />
      </span>
      <Tag color={orgKindColor(org.kind)} variant="filled">
        {orgKindLabel(org.kind)}
      </Tag>
      <span className="org-title-count">{t.org.memberCount(org.member_count)}</span>
    </span>
  );
}
