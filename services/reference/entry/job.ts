// Lambda entry point of a scheduled job (blueprints/scheduled-jobs) until the team ships its own
// code: it logs the schedule's event and succeeds, so a new schedule shows up in the logs and its
// alarms stay quiet.
export const handler = async (event: unknown): Promise<{ ok: true }> => {
  console.log(JSON.stringify({ message: "scheduled job ran", event }));
  return { ok: true };
};
