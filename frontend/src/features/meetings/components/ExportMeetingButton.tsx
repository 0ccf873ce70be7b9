import { Alert, Button } from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { formErrors } from "../../../api/errors";
import type { Meeting } from "../api";
import { downloadMeetingExport } from "../meetingExport";

/** "Export chat and polls": downloads the meeting as `<title> <date>.json`. */
export function ExportMeetingButton({ meeting, timeZone }: { meeting: Meeting; timeZone: string }) {
  const download = useMutation({ mutationFn: () => downloadMeetingExport(meeting, timeZone) });
  return (
    <>
      <Button onClick={() => download.mutate()} loading={download.isPending}>
        Export chat and polls
      </Button>
      {download.isError && (
        <Alert severity="error" role="alert">
          {formErrors(download.error).message ?? "The export did not work. Try again."}
        </Alert>
      )}
    </>
  );
}
