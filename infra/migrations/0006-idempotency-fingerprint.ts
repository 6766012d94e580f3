// Idempotency keys bound to the request: the key's row keeps the request fingerprint (a digest of
// route, ids and body), and the append function compares it under the head lock. Of concurrent
// requests with one key and different bodies exactly one is stored; every other is refused with
// 'key-reused' — none is answered with another request's result.
import { sql, type Kysely, type Migration } from 'kysely';

export const idempotencyFingerprint: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table idempotency_keys add column fingerprint text`.execute(db);
    await sql`
      create or replace function verstetigt_append(p_group jsonb) returns jsonb language plpgsql as $fn$
      declare
        v_position bigint;
        v_hash text;
        v_at timestamptz;
        v_at_text text;
        v_item jsonb;
        v_event jsonb;
        v_stream text;
        v_key text;
        v_expected jsonb;
        v_current integer;
        v_version integer;
        v_first bigint;
        v_next text;
        v_known record;
        v_versions jsonb := '{}'::jsonb;
        v_outcomes jsonb := '[]'::jsonb;
      begin
        -- 1. Lock the head: serialises appends across connections and processes. The clock is
        --    read after the lock is held and never goes back (the as-of replay relies on it).
        select position, hash, greatest(date_trunc('milliseconds', clock_timestamp()),
                                        coalesce(recorded_at, '-infinity'::timestamptz))
          into v_position, v_hash, v_at
          from event_log_head where id = 1 for update;
        v_at_text := to_char(v_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

        for v_item in select value from jsonb_array_elements(p_group) loop
          v_stream := v_item->>'stream';
          v_key := v_item->>'key';
          -- 2. A stored idempotency key answers with the original result, but only for the same
          --    request: a key stored with another request fingerprint is refused (checked here,
          --    under the head lock, so concurrent requests with one key cannot both pass).
          if v_key is not null then
            select stream_id, first_position, last_position, stream_version, fingerprint into v_known
              from idempotency_keys where key = v_key;
            if found and v_known.fingerprint is not null and v_item->>'fingerprint' is not null
               and v_known.fingerprint <> v_item->>'fingerprint' then
              v_outcomes := v_outcomes || jsonb_build_array(jsonb_build_object('status', 'key-reused'));
              continue;
            end if;
            if found then
              v_outcomes := v_outcomes || jsonb_build_array(jsonb_build_object(
                'status', 'duplicate', 'stream', v_known.stream_id, 'first', v_known.first_position,
                'last', v_known.last_position, 'version', v_known.stream_version));
              continue;
            end if;
          end if;
          -- An append whose first event id is stored already was committed by an earlier attempt
          -- (the client lost the answer): report it, never store it twice.
          select global_position, stream_version into v_known from events
           where event_id = (v_item->'events'->0->>'id')::uuid;
          if found then
            v_outcomes := v_outcomes || jsonb_build_array(jsonb_build_object(
              'status', 'duplicate', 'stream', v_stream, 'first', v_known.global_position,
              'last', v_known.global_position + jsonb_array_length(v_item->'events') - 1,
              'version', v_known.stream_version + jsonb_array_length(v_item->'events') - 1));
            continue;
          end if;
          -- 3. The expected version against the stream's version (including this group's appends).
          if v_versions ? v_stream then
            v_current := (v_versions->>v_stream)::integer;
          else
            select coalesce(max(stream_version), 0) into v_current from events where stream_id = v_stream;
          end if;
          v_expected := v_item->'expected';
          if not (v_expected = '"any"'::jsonb
                  or (v_expected = '"no-stream"'::jsonb and v_current = 0)
                  or (v_expected = '"exists"'::jsonb and v_current > 0)
                  or (jsonb_typeof(v_expected) = 'number' and (v_expected #>> '{}')::integer = v_current)) then
            v_outcomes := v_outcomes || jsonb_build_array(jsonb_build_object('status', 'conflict', 'actual', v_current));
            continue;
          end if;
          -- 4. The rows, each chained to the one before.
          v_first := v_position + 1;
          v_version := v_current;
          for v_event in select value from jsonb_array_elements(v_item->'events') loop
            v_position := v_position + 1;
            v_version := v_version + 1;
            v_next := encode(sha256(convert_to(
              v_hash || '|' || v_position || '|' || v_version || '|' || v_at_text || '|' || (v_event->>'digest'),
              'UTF8')), 'hex');
            insert into events (global_position, stream_id, stream_version, event_id, type, schema_version,
                                data, metadata, recorded_at, prev_hash, hash)
            values (v_position, v_stream, v_version, (v_event->>'id')::uuid, v_event->>'type',
                    (v_event->>'schemaVersion')::integer, v_event->'data', v_item->'metadata', v_at, v_hash, v_next);
            v_hash := v_next;
          end loop;
          v_versions := jsonb_set(v_versions, array[v_stream], to_jsonb(v_version));
          if v_key is not null then
            insert into idempotency_keys (key, stream_id, first_position, last_position, stream_version, fingerprint)
            values (v_key, v_stream, v_first, v_position, v_version, v_item->>'fingerprint');
          end if;
          v_outcomes := v_outcomes || jsonb_build_array(jsonb_build_object(
            'status', 'ok', 'first', v_first, 'last', v_position, 'version', v_version));
        end loop;

        update event_log_head set position = v_position, hash = v_hash, recorded_at = v_at where id = 1;
        return jsonb_build_object('recordedAt', v_at_text, 'outcomes', v_outcomes);
      end
      $fn$`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table idempotency_keys drop column fingerprint`.execute(db);
  },
};
