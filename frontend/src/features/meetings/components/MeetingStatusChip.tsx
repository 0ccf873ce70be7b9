import { Chip, type ChipProps } from "@mui/material";

const LOOKS: Record<string, { label: string; color: ChipProps["color"] }> = {
  live: { label: "Live", color: "success" },
  scheduled: { label: "Scheduled", color: "primary" },
  ended: { label: "Ended", color: "default" },
  cancelled: { label: "Cancelled", color: "warning" },
};

export function MeetingStatusChip({ status }: { status: string }) {
  const look = LOOKS[status] ?? { label: status, color: "default" };
  return <Chip size="small" variant={status === "live" ? "filled" : "outlined"} label={look.label} color={look.color} />;
}
