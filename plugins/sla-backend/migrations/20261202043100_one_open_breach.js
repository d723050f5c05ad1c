/*
 * One open breach per target, enforced by the database: replicas, ingest,
 * feedback and the scheduled evaluation may evaluate the same target at
 * once, and only one of them may open its breach.
 *
 * - Open breaches that earlier versions recorded twice for one target are
 *   folded into the oldest (worst severity, lowest remaining budget; its
 *   cause kept unless it was `own`) and the others removed: they were
 *   copies of one opening, not breaches of their own.
 * - A partial unique index (PostgreSQL and SQLite both have them) then
 *   allows at most one row per target whose `closed_at` is null.
 * - sla_target_states.backfilled_at records when a target's breach history
 *   was recorded from its hourly statuses (ms; null until the target has
 *   data). Before, the first evaluation did this, data or not, so a target
 *   evaluated before its backfill arrived never had its history recorded.
 */

const SEVERITY_ORDER = ['minor', 'major', 'critical'];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const open = await knex('sla_breaches')
    .whereNull('closed_at')
    .orderBy([
      { column: 'agreement_id' },
      { column: 'target_id' },
      { column: 'opened_at' },
      { column: 'id' },
    ]);
  const byTarget = new Map();
  for (const row of open) {
    const key = `${row.agreement_id}\u0000${row.target_id}`;
    const rows = byTarget.get(key) ?? [];
    rows.push(row);
    byTarget.set(key, rows);
  }
  for (const [kept, ...copies] of byTarget.values()) {
    if (!copies.length) continue;
    const details = JSON.parse(kept.details);
    let severity = kept.severity;
    let cause = kept.cause;
    let causedBy = details.causedBy ?? [];
    let worstRemaining = details.worstRemaining ?? null;
    for (const copy of copies) {
      const more = JSON.parse(copy.details);
      if (
        SEVERITY_ORDER.indexOf(copy.severity) > SEVERITY_ORDER.indexOf(severity)
      ) {
        severity = copy.severity;
      }
      if (cause === 'own' && copy.cause !== 'own') {
        cause = copy.cause;
        causedBy = more.causedBy ?? [];
      }
      const remaining = more.worstRemaining ?? null;
      worstRemaining =
        worstRemaining === null || remaining === null
          ? null
          : Math.min(worstRemaining, remaining);
    }
    await knex('sla_breaches')
      .where('id', kept.id)
      .update({
        severity,
        cause,
        details: JSON.stringify({ ...details, causedBy, worstRemaining }),
      });
    await knex('sla_breaches')
      .whereIn(
        'id',
        copies.map(c => c.id),
      )
      .delete();
  }
  // A breach left open although its target's kept status moved on (a
  // duplicate that the closing evaluation missed) closes when that status
  // was kept.
  const stranded = await knex('sla_breaches as b')
    .join('sla_target_states as s', join =>
      join
        .on('s.agreement_id', '=', 'b.agreement_id')
        .andOn('s.target_id', '=', 'b.target_id'),
    )
    .whereNull('b.closed_at')
    .whereNot('s.status', 'breached')
    .select('b.id', 'b.opened_at', 's.changed_at');
  for (const row of stranded) {
    await knex('sla_breaches')
      .where('id', row.id)
      .update({
        closed_at:
          row.changed_at > row.opened_at ? row.changed_at : row.opened_at,
      });
  }
  await knex.raw(
    'CREATE UNIQUE INDEX sla_breaches_one_open_idx ON sla_breaches (agreement_id, target_id) WHERE closed_at IS NULL',
  );

  await knex.schema.alterTable('sla_target_states', table => {
    table
      .bigInteger('backfilled_at')
      .nullable()
      .comment('When the breach history was recorded (ms); null before data');
  });
  // Targets evaluated with a status had their history recorded then; those
  // without data may not have had it, and are looked at again (recording
  // history skips runs that overlap a recorded breach).
  await knex('sla_target_states')
    .whereNot('status', 'no-data')
    .update({ backfilled_at: knex.raw('COALESCE(evaluated_at, 0)') });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_target_states', table => {
    table.dropColumn('backfilled_at');
  });
  await knex.raw('DROP INDEX sla_breaches_one_open_idx');
};
