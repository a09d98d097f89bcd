import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  closeTask,
  createBeneficiary,
  createPair,
  createVisit,
  endPair,
  recordEvent,
  type BeneficiaryKind,
  type GoalTag,
  type PairKind,
  type PairRead,
  type PairStatus,
  type TaskClosure,
  type TaskRead,
  type VanguardPairingModelsEventType,
  type VisitType,
} from '../api';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { isAfterTodayInChina, pickerToday } from '../lib/dates';
import { optionsOf } from '../members/labels';
import { FormDialog } from '../components/FormDialog';
import { cleanGoals, etagOf, optionalText } from './pairingQuery';
import { BeneficiarySelect, CadreSelect, MemberSelect } from './pickers';

const p = t.pairing;
const f = p.fields;
const required = [{ required: true, message: p.form.required }];
const text = [{ required: true, whitespace: true, message: p.form.required }, { min: 2, message: p.form.tooShort }];
const day = (value: Dayjs | null | undefined): string | undefined => value?.format('YYYY-MM-DD');
const noFuture = { style: { width: '100%' }, disabledDate: isAfterTodayInChina };

interface DialogProps {
  onClose: () => void;
  onDone: () => void;
}

interface PairValues {
  helperKind: 'member' | 'user';
  helper_member_id?: number | null;
  helper_user_id?: number | null;
  beneficiary_id: number;
  kind: PairKind;
  goals?: { tag?: GoalTag; target?: string }[];
  started_on?: Dayjs;
  ends_on?: Dayjs | null;
}

/** 新建结对: a helper (a member, or a cadre's account) with a registered beneficiary, and the 三包 goals. */
export function PairCreateDialog({ orgId, onClose, onDone }: DialogProps & { orgId?: number }) {
  const canReadUsers = useCan('users:read');
  return (
    <FormDialog<PairValues>
      successMessage={p.created}
      staleMessage={p.staleReloaded}
      title={p.newPair}
      initialValues={{ helperKind: 'member', kind: 'poverty', goals: [{ tag: 'poverty_exit', target: '' }], started_on: pickerToday() }}
      onClose={onClose}
      onDone={onDone}
      submit={(values) =>
        createPair({
          body: {
            helper_member_id: values.helperKind === 'member' ? values.helper_member_id : null,
            helper_user_id: values.helperKind === 'user' ? values.helper_user_id : null,
            beneficiary_id: values.beneficiary_id,
            kind: values.kind,
            goals: cleanGoals(values.goals),
            started_on: day(values.started_on),
            ends_on: day(values.ends_on) ?? null,
          },
        })
      }
    >
      <PairFields orgId={orgId} canReadUsers={canReadUsers} />
    </FormDialog>
  );
}

function PairFields({ orgId, canReadUsers }: { orgId?: number; canReadUsers: boolean }) {
  const helperKind = Form.useWatch<PairValues['helperKind'] | undefined>('helperKind', Form.useFormInstance());
  return (
    <>
      <Form.Item name="beneficiary_id" label={f.beneficiary} rules={required}>
        <BeneficiarySelect orgId={orgId} />
      </Form.Item>
      {canReadUsers ? (
        <Form.Item name="helperKind" label={f.helperKind}>
          <Radio.Group
            options={[
              { value: 'member', label: f.helperMember },
              { value: 'user', label: f.helperUser },
            ]}
          />
        </Form.Item>
      ) : null}
      {helperKind === 'user' ? (
        <Form.Item name="helper_user_id" label={f.helper} rules={required}>
          <CadreSelect orgId={orgId} />
        </Form.Item>
      ) : (
        <Form.Item name="helper_member_id" label={f.helper} rules={required}>
          <MemberSelect orgId={orgId} />
        </Form.Item>
      )}
      <Form.Item name="kind" label={f.kind} rules={required}>
        <Select options={optionsOf(p.kinds)} />
      </Form.Item>
      <Form.Item label={f.goals}>
        <Form.List name="goals">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'tag']} rules={required} style={{ width: 110 }}>
                    <Select aria-label={f.goalTag} options={optionsOf(p.goalTags)} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'target']} rules={required} style={{ width: 290 }}>
                    <Input aria-label={f.goalTarget} maxLength={200} placeholder={f.goalTarget} />
                  </Form.Item>
                  <MinusCircleOutlined
                    onClick={() => {
                      remove(field.name);
                    }}
                  />
                </Space>
              ))}
              {fields.length < 10 ? (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => {
                    add({ tag: 'technology', target: '' });
                  }}
                >
                  {f.addGoal}
                </Button>
              ) : null}
            </>
          )}
        </Form.List>
      </Form.Item>
      <Space size={16}>
        <Form.Item name="started_on" label={f.startedOn} rules={required}>
          <DatePicker {...noFuture} />
        </Form.Item>
        <Form.Item name="ends_on" label={f.endsOn}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Space>
    </>
  );
}

interface BeneficiaryValues {
  kind: BeneficiaryKind;
  member_id?: number | null;
  org_id?: number | null;
  head_name?: string;
  address?: string;
  village?: string;
  household_size?: number | null;
  contact_phone?: string;
  situation?: string;
  needs?: string;
}

/** 登记帮扶对象: a member in hardship, or a household of the masses in a branch. */
export function BeneficiaryDialog({ orgId, onClose, onDone }: DialogProps & { orgId?: number }) {
  return (
    <FormDialog<BeneficiaryValues>
      successMessage={p.created}
      staleMessage={p.staleReloaded}
      title={p.newBeneficiary}
      initialValues={{ kind: 'member', org_id: orgId ?? null }}
      onClose={onClose}
      onDone={onDone}
      submit={(v) =>
        createBeneficiary({
          body:
            v.kind === 'member'
              ? { kind: 'member', member_id: v.member_id, situation: optionalText(v.situation), needs: optionalText(v.needs) }
              : {
                  kind: 'household',
                  org_id: v.org_id,
                  head_name: optionalText(v.head_name),
                  address: optionalText(v.address),
                  village: optionalText(v.village),
                  household_size: v.household_size ?? null,
                  contact_phone: optionalText(v.contact_phone),
                  situation: optionalText(v.situation),
                  needs: optionalText(v.needs),
                },
        })
      }
    >
      <BeneficiaryFields orgId={orgId} />
    </FormDialog>
  );
}

function BeneficiaryFields({ orgId }: { orgId?: number }) {
  const kind = Form.useWatch<BeneficiaryKind | undefined>('kind', Form.useFormInstance());
  return (
    <>
      <Form.Item name="kind" label={f.beneficiaryKind}>
        <Radio.Group options={optionsOf(p.beneficiaryKinds)} />
      </Form.Item>
      {kind === 'household' ? (
        <>
          <Form.Item name="org_id" label={f.org} rules={required}>
            <OrgPicker allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="head_name" label={f.headName} rules={required}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="village" label={f.village}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="address" label={f.address}>
            <Input maxLength={200} />
          </Form.Item>
          <Space size={16}>
            <Form.Item name="household_size" label={f.householdSize}>
              <InputNumber min={1} max={50} precision={0} />
            </Form.Item>
            <Form.Item name="contact_phone" label={f.phone} rules={[{ pattern: /^[0-9+-]{5,20}$/, message: f.phone }]}>
              <Input maxLength={20} />
            </Form.Item>
          </Space>
        </>
      ) : (
        <Form.Item name="member_id" label={f.member} rules={required}>
          <MemberSelect orgId={orgId} />
        </Form.Item>
      )}
      <Form.Item name="situation" label={f.situation}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item name="needs" label={f.needs}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  );
}

interface EndValues {
  status: Exclude<PairStatus, 'active'>;
  ended_on?: Dayjs;
  reason?: string;
}

/** 结束结对: completed, or ended early with a reason. */
export function EndPairDialog({ pair, label, onClose, onDone, onStale }: DialogProps & { pair: PairRead; label: string; onStale?: () => void }) {
  return (
    <FormDialog<EndValues>
      successMessage={p.created}
      staleMessage={p.staleReloaded}
      title={`${p.endPair} · ${label}`}
      initialValues={{ status: 'completed', ended_on: pickerToday() }}
      onClose={onClose}
      onDone={onDone}
      onStale={onStale}
      submit={(v) =>
        endPair({
          path: { pair_id: pair.id },
          headers: { 'if-match': etagOf(pair.version) },
          body: { status: v.status, ended_on: day(v.ended_on), reason: optionalText(v.reason) },
        })
      }
    >
      <EndFields />
    </FormDialog>
  );
}

function EndFields() {
  const early = Form.useWatch<EndValues['status'] | undefined>('status', Form.useFormInstance()) === 'ended_early';
  return (
    <>
      <Form.Item name="status" label={f.status}>
        <Radio.Group
          options={[
            { value: 'completed', label: p.statuses.completed },
            { value: 'ended_early', label: p.statuses.ended_early },
          ]}
        />
      </Form.Item>
      <Form.Item name="ended_on" label={f.endedOn} rules={required}>
        <DatePicker {...noFuture} />
      </Form.Item>
      <Form.Item name="reason" label={f.endReason} rules={early ? text : []} extra={p.form.endReasonHint}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </>
  );
}

interface VisitValues {
  visited_on: Dayjs;
  type: VisitType;
  work_done: string;
  money_given?: number | null;
  goods_value?: number | null;
  jobs_found?: number | null;
  skills?: string;
  follow_up?: string;
  follow_up_due_on?: Dayjs | null;
}

/** 记录走访 on a pair: what was done, the help given, and any follow-up with its due date. */
export function VisitDialog({ pair, label, onClose, onDone }: DialogProps & { pair: PairRead; label: string }) {
  return (
    <FormDialog<VisitValues>
      successMessage={p.created}
      staleMessage={p.staleReloaded}
      title={`${p.recordVisit} · ${label}`}
      initialValues={{ visited_on: pickerToday(), type: 'routine', jobs_found: 0 }}
      onClose={onClose}
      onDone={onDone}
      submit={(v) => {
        const followUp = optionalText(v.follow_up);
        return createVisit({
          path: { pair_id: pair.id },
          body: {
            visited_on: day(v.visited_on) ?? '',
            type: v.type,
            work_done: v.work_done.trim(),
            money_given: v.money_given ?? null,
            goods_value: v.goods_value ?? null,
            jobs_found: v.jobs_found ?? 0,
            skills: optionalText(v.skills),
            follow_up: followUp,
            follow_up_due_on: followUp ? (day(v.follow_up_due_on) ?? null) : null,
          },
        });
      }}
    >
      <Space size={16} style={{ display: 'flex' }}>
        <Form.Item name="visited_on" label={f.visitedOn} rules={required}>
          <DatePicker {...noFuture} />
        </Form.Item>
        <Form.Item name="type" label={f.visitType} rules={required} style={{ minWidth: 200 }}>
          <Select options={optionsOf(p.visitTypes)} />
        </Form.Item>
      </Space>
      <Form.Item name="work_done" label={f.workDone} rules={text}>
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Space size={16} wrap>
        <Form.Item name="money_given" label={f.money}>
          <InputNumber min={0} precision={2} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="goods_value" label={f.goods}>
          <InputNumber min={0} precision={2} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="jobs_found" label={f.jobs}>
          <InputNumber min={0} max={1000} precision={0} style={{ width: 110 }} />
        </Form.Item>
      </Space>
      <Form.Item name="skills" label={f.skills}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="follow_up" label={f.followUp} extra={p.form.followUpHint}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="follow_up_due_on" label={f.followUpDue}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDialog>
  );
}

interface EventValues {
  member_id: number;
  event: VanguardPairingModelsEventType;
  occurred_on?: Dayjs;
  note?: string;
}

/** 登记事由: an event for a member that opens a must-visit task (四必访). */
export function EventDialog({ orgId, onClose, onDone }: DialogProps & { orgId?: number }) {
  return (
    <FormDialog<EventValues>
      successMessage={p.created}
      staleMessage={p.staleReloaded}
      title={p.recordEvent}
      initialValues={{ event: 'illness', occurred_on: pickerToday() }}
      onClose={onClose}
      onDone={onDone}
      submit={(v) => recordEvent({ body: { member_id: v.member_id, event: v.event, occurred_on: day(v.occurred_on), note: optionalText(v.note) } })}
    >
      <Form.Item name="member_id" label={f.member} rules={required} extra={p.form.eventHint}>
        <MemberSelect orgId={orgId} />
      </Form.Item>
      <Space size={16} style={{ display: 'flex' }}>
        <Form.Item name="event" label={f.event} rules={required} style={{ minWidth: 160 }}>
          <Select options={optionsOf(p.events)} />
        </Form.Item>
        <Form.Item name="occurred_on" label={f.occurredOn} rules={required}>
          <DatePicker {...noFuture} />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={f.note}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormDialog>
  );
}

interface CloseValues {
  closed_as: TaskClosure;
  reason: string;
  closed_on?: Dayjs;
}

/** 办结任务 by hand: handled without a recorded visit, or cancelled, with a reason. */
export function CloseTaskDialog({ task, label, onClose, onDone, onStale }: DialogProps & { task: TaskRead; label: string; onStale?: () => void }) {
  return (
    <FormDialog<CloseValues>
      successMessage={p.created}
      staleMessage={p.staleReloaded}
      title={`${p.closeTask} · ${label}`}
      initialValues={{ closed_as: 'closed', closed_on: pickerToday() }}
      onClose={onClose}
      onDone={onDone}
      onStale={onStale}
      submit={(v) =>
        closeTask({
          path: { task_id: task.id },
          headers: { 'if-match': etagOf(task.version) },
          body: { closed_as: v.closed_as, reason: v.reason.trim(), closed_on: day(v.closed_on) },
        })
      }
    >
      <Form.Item name="closed_as" label={f.closedAs}>
        <Radio.Group options={optionsOf(p.closures)} style={{ display: 'grid', gap: 4 }} />
      </Form.Item>
      <Form.Item name="reason" label={f.reason} rules={text}>
        <Input.TextArea rows={2} maxLength={500} showCount />
      </Form.Item>
      <Form.Item name="closed_on" label={f.closedOn} rules={required}>
        <DatePicker {...noFuture} />
      </Form.Item>
    </FormDialog>
  );
}
