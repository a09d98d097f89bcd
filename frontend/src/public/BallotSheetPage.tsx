import { Alert, Button, Card, Radio, Result, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { getPublicScoringSheet, submitPublicScoringSheet, type Grade, type PublicSheet } from '../api';
import { t } from '../i18n';
import { useLoader } from '../lib/useLoader';
import { GRADES } from '../scoring/grades';
import { periodLabel } from '../scoring/labels';
import { toBallots, type Grades } from './ballotSheet';
import { PublicError, publicErrorMessage, unwrap } from './publicApi';
import { PublicShell } from './PublicShell';
import { useCountdown } from './useCountdown';

const b = t.ballotSheet;
const grades = t.scoring.grades;

/** A sheet that cannot be opened or taken: the API's words (unknown token, already used, round closed). */
function Unavailable({ error }: { error: unknown }) {
  const status = error instanceof PublicError ? error.status : null;
  return (
    <Result
      status={status === 409 || status === 410 ? 'warning' : 'error'}
      title={b.unavailable}
      subTitle={<span data-testid="sheet-unavailable">{publicErrorMessage(error)}</span>}
    />
  );
}

function Sheet({ token, sheet, onDone }: { token: string; sheet: PublicSheet; onDone: (accepted: number) => void }) {
  const [chosen, setChosen] = useState<Grades>({});
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [wait, startWait] = useCountdown();
  const ballots = toBallots(sheet.members, chosen);

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    try {
      const receipt = await unwrap(submitPublicScoringSheet({ path: { token }, body: { ballots }, throwOnError: false }));
      onDone(receipt.accepted);
    } catch (caught) {
      setError(caught);
      if (caught instanceof PublicError && caught.status === 429) startWait(caught.retryAfter ?? 60);
    } finally {
      setSubmitting(false);
    }
  };

  if (sheet.members.length === 0) return <Result status="info" title={b.noMembers} />;
  return (
    <>
      <Typography.Paragraph>{b.intro}</Typography.Paragraph>
      <ol className="ballot-sheet" data-testid="ballot-sheet">
        {sheet.members.map((member) => (
          <li key={member.member_id} className="ballot-sheet-row">
            <Typography.Text strong className="ballot-sheet-name">
              {member.name}
            </Typography.Text>
            <Radio.Group
              aria-label={b.gradeOf(member.name)}
              optionType="button"
              buttonStyle="solid"
              value={chosen[member.member_id]}
              onChange={(event) => {
                setChosen((current) => ({ ...current, [member.member_id]: event.target.value as Grade }));
              }}
              options={GRADES.map((value) => ({ value, label: grades[value] }))}
            />
          </li>
        ))}
      </ol>
      <Typography.Paragraph type="secondary" data-testid="ballot-progress">
        {b.rated(ballots.length, sheet.members.length)}
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={publicErrorMessage(error)} role="alert" style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" size="large" block loading={submitting} disabled={ballots.length === 0 || wait > 0} onClick={() => void submit()}>
        {wait > 0 ? t.publicComplaints.retryIn(wait) : ballots.length === 0 ? b.noneRated : b.submit}
      </Button>
    </>
  );
}

/**
 * The masses' ballot sheet (民主评议, 群众评议), opened by a one-time token without an account and made for
 * a phone: a grade for each member on the branch's roll they know, all sent at once, then a thank-you.
 */
export function BallotSheetPage() {
  const token = useParams().token ?? '';
  const loaded = useLoader<PublicSheet>(() => unwrap(getPublicScoringSheet({ path: { token }, throwOnError: false })), token);
  const [accepted, setAccepted] = useState<number | null>(null);
  const sheet = loaded.data;

  let body: React.ReactNode;
  if (accepted !== null) {
    body = <Result status="success" title={b.thanks} subTitle={b.thanksDetail(accepted)} data-testid="sheet-thanks" />;
  } else if (loaded.error) {
    body = <Unavailable error={loaded.error} />;
  } else if (!sheet) {
    body = <Skeleton active aria-label={b.loading} />;
  } else {
    body = <Sheet token={token} sheet={sheet} onDone={setAccepted} />;
  }
  return (
    <PublicShell title={b.title} subtitle={sheet ? b.subtitle(sheet.org_name, periodLabel(sheet)) : t.app.name}>
      <Card>{body}</Card>
    </PublicShell>
  );
}
