/**
 * The testing tool's own addition to the generic pages: a test run's measurement at a
 * glance (value and unit, the component measured, when, the verdict) above its fields.
 */
import { StatusBadge } from "@/components/StatusBadge";
import { FieldValue } from "@/features/records/components/FieldValue";
import { formatNumber } from "@/features/records/numbers";
import { formatDateTime } from "@/features/records/times";
import type { RecordSectionProps, ToolPages } from "@/tools/registry";

function Measurement({ entity, tools, loaded }: RecordSectionProps) {
  const { record } = loaded;
  const component = entity.fields.find((field) => field.name === "component");
  const measured = entity.fields.find((field) => field.name === "measured_value");
  const value = record.measured_value as string | null;
  return (
    <section
      aria-label="Measurement"
      className="flex flex-wrap items-center gap-x-8 gap-y-2 rounded-lg border border-indigo-100 bg-indigo-50/50 px-4 py-3"
    >
      <p className="text-2xl font-semibold tabular-nums">
        {value === null
          ? "Not measured"
          : // As the record's fields and the list show it ("1.2500"): one way to show a value.
            `${measured ? formatNumber(measured, value) : value} ${String(record.unit ?? "")}`.trim()}
      </p>
      {component && (
        <p className="text-sm">
          on{" "}
          <FieldValue
            field={component}
            value={record.component}
            statuses={entity.statuses}
            tools={tools}
          />
        </p>
      )}
      {typeof record.executed_at === "string" && (
        <p className="text-sm text-slate-600">{formatDateTime(record.executed_at)}</p>
      )}
      <StatusBadge value={record.status} statuses={entity.statuses} />
    </section>
  );
}

const pages: ToolPages = {
  "testing.testrun": { recordSection: Measurement },
};

export default pages;
