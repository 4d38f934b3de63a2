/**
 * A new athlete follows the API for `days` days with a client generated from the committed
 * spec (openapi-typescript + openapi-fetch), compiled with `tsc --strict`: each day it takes
 * the recommendation and logs it back, to the letter, as a workout. No cast anywhere: what
 * the API answers types as what it takes. One JSON line per day on stdout, for the test.
 *
 * Usage: node round_trip.js BASE_URL API_KEY EXTERNAL_ID DAYS
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./psoas.js";

type Schemas = components["schemas"];

const DAY_MS = 86_400_000;

function workoutFrom(next: Schemas["Next"], performedAt: Date): Schemas["WorkoutCreate"] {
  const rep: Schemas["Rep"] = {
    hold_seconds: next.hold_seconds,
    strict_form: true,
    high_flexion: true,
  };
  const sides: Schemas["Side"][] = ["left", "right"];
  const sets: Schemas["Set"][] = sides.flatMap((side) =>
    Array.from({ length: next.sets }, () => ({
      exercise: next.exercise,
      side,
      band_tension: next.band_tension,
      shoulder_flexion: next.shoulder_flexion,
      reps: Array.from({ length: next.reps }, () => rep),
    })),
  );
  const context: Schemas["WorkoutContext"] = "activation";
  return { performed_at: performedAt.toISOString(), context, sets };
}

function fail(step: string, status: number, problem: Schemas["Problem"] | undefined): never {
  throw new Error(`${step}: ${status} ${JSON.stringify(problem)}`);
}

async function main(): Promise<void> {
  const [baseUrl, apiKey, externalId, daysArg] = process.argv.slice(2);
  if (!baseUrl || !apiKey || !externalId || !daysArg) {
    throw new Error("usage: node round_trip.js BASE_URL API_KEY EXTERNAL_ID DAYS");
  }
  const days = Number(daysArg);
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
  });

  const created = await client.POST("/v1/athletes", {
    body: { external_id: externalId },
    params: { header: { "Idempotency-Key": crypto.randomUUID() } },
  });
  if (created.data === undefined) fail("create", created.response.status, created.error);
  const path = { athlete_id: created.data.id };

  // Training days one day apart, the last one an hour ago (never in the future).
  const first = Date.now() - 3_600_000 - (days - 1) * DAY_MS;
  for (let day = 0; day < days; day++) {
    const advice = await client.GET("/v1/athletes/{athlete_id}/recommendation", {
      params: { path },
    });
    if (advice.data === undefined) fail("recommend", advice.response.status, advice.error);
    const next: Schemas["Next"] = advice.data.next;
    const logged = await client.POST("/v1/athletes/{athlete_id}/workouts", {
      params: { path, header: { "Idempotency-Key": crypto.randomUUID() } },
      body: workoutFrom(next, new Date(first + day * DAY_MS)),
    });
    if (logged.data === undefined) fail("log", logged.response.status, logged.error);
    const verdict: Schemas["Verdict"] | null = logged.data.verdict;
    const decision: Schemas["Decision"] = advice.data.decision;
    console.log(JSON.stringify({ decision, next, workout: logged.data.id, verdict }));
  }
  const last = await client.GET("/v1/athletes/{athlete_id}/recommendation", { params: { path } });
  if (last.data === undefined) fail("recommend", last.response.status, last.error);
  console.log(JSON.stringify({ decision: last.data.decision, next: last.data.next, based_on: last.data.based_on }));
}

await main();
