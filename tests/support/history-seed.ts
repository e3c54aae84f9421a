// Fills a history database with a big repository in one statement, on either engine: the
// plan tests and `npm run bench -- --only store` need 10^4–10^6 rows, which sightings
// recorded one by one would take minutes to write. Tag `t<k>` moves `runs` times; its runs
// follow each other (each ends when the next begins) and its last is current, as recorded
// sightings leave them. Times are `step * 1000 + k` ms, so no two runs start together.
import { sql } from 'kysely';
import type { HistoryDatabase } from '@/lib/history/database';

export async function seedRuns(database: HistoryDatabase, repository: string, tags: number, runs: number): Promise<void> {
  const rows = tags * runs;
  const step = sql`(i / ${sql.lit(tags)})`;
  const tag = sql`(i % ${sql.lit(tags)})`;
  await sql`
    with recursive n(i) as (select 0 union all select i + 1 from n where i < ${sql.lit(rows - 1)})
    insert into observations (registry, repository, tag, digest, media_type, source, via, first_seen, last_seen, ended_at)
    select 'bench.test', ${repository}, 't' || ${tag}, 'sha256:' || i, null, 'observed', 'head',
      cast(${step} * 1000 + ${tag} as bigint), cast(${step} * 1000 + ${tag} + 500 as bigint),
      case when ${step} = ${sql.lit(runs - 1)} then null else cast((${step} + 1) * 1000 + ${tag} as bigint) end
    from n`.execute(database.db);
  await sql`analyze`.execute(database.db);
}
