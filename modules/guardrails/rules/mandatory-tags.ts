import { finding, type GuardrailRule } from "../rule";

const rule: GuardrailRule = {
  id: "mandatory-tags",
  description:
    "every taggable resource carries every `tags.mandatory` key; its own tags plus its provider's `default_tags` count",
  check: (view, { mandatoryTags }) =>
    view.resources
      .filter((r) => r.taggable)
      .flatMap((r) => {
        const effective: Record<string, unknown> = {
          ...view.defaultTags(r),
          ...(r.attrs.tags ?? {}),
        };
        const missing = mandatoryTags.filter(
          (k) => typeof effective[k] !== "string" || effective[k] === "",
        );
        return missing.length === 0
          ? []
          : [
              finding(
                rule.id,
                r,
                `${r.type} lacks mandatory tag(s) ${missing.join(", ")} (its tags plus the provider's default_tags)`,
              ),
            ];
      }),
};
export default rule;
