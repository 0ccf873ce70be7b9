import VideocamOutlined from "@mui/icons-material/VideocamOutlined";
import { Box, Container, Grid, Paper, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { useLocation, useParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useSession } from "../../auth/hooks/useSession";
import { MeetingRoom } from "../../room/components/MeetingRoom";
import { joinMeeting, type JoinIn, type JoinResult } from "../api";
import { useLocalMedia, type LocalMediaControls } from "../hooks/useLocalMedia";
import { stopTracks } from "../localMedia";
import { passcodeFromHash } from "../meetingLinks";
import { MediaSetup } from "./MediaSetup";
import { PreJoinForm } from "./PreJoinForm";

function PreJoinScreen({ code, local, onJoined }: { code: string; local: LocalMediaControls; onJoined: (join: JoinResult, body: JoinIn) => void }) {
  const session = useSession();
  const { hash } = useLocation();

  let form;
  if (session.isPending) form = <Loading label="Checking your session" />;
  else if (session.isError) form = <FormAlert errors={formErrors(session.error)} />;
  else
    form = (
      <PreJoinForm code={code} signedInAs={session.data.kind === "authenticated" ? session.data.user.display : null}
        linkPasscode={passcodeFromHash(hash)} mediaReady={local.media !== null} onJoined={onJoined} />
    );

  return (
    <Box component="main" aria-labelledby="prejoin-heading" sx={{ minHeight: "100vh", bgcolor: "background.default" }}>
      <Container maxWidth="lg" sx={{ py: { xs: 2, sm: 4 } }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: { xs: 2, sm: 4 } }}>
          <VideocamOutlined color="primary" />
          <Typography variant="h6" component="span" sx={{ fontWeight: 700 }}>
            aapoon meet
          </Typography>
        </Stack>
        <Grid container spacing={4} sx={{ alignItems: "center" }}>
          <Grid size={{ xs: 12, md: 7 }}>
            <MediaSetup local={local} />
          </Grid>
          <Grid size={{ xs: 12, md: 5 }}>
            <Paper variant="outlined" sx={{ p: 3 }}>
              <Typography id="prejoin-heading" variant="h5" component="h1" gutterBottom>
                Ready to join?
              </Typography>
              <Typography color="text.secondary" sx={{ mb: 2 }}>
                Meeting code <Box component="span" sx={{ fontFamily: "monospace" }}>{code}</Box>
              </Typography>
              {form}
            </Paper>
          </Grid>
        </Grid>
      </Container>
    </Box>
  );
}

/**
 * `/m/:code`, for signed-in users and guests alike: check camera and microphone, say who you are,
 * then the meeting room (which shows the waiting room and every way out itself).
 */
export function MeetingJoinPage() {
  const { code = "" } = useParams();
  const local = useLocalMedia();
  const [entry, setEntry] = useState<{ join: JoinResult; body: JoinIn } | null>(null);

  if (!entry || !local.media) {
    return <PreJoinScreen code={code} local={local} onJoined={(join, body) => setEntry({ join, body })} />;
  }
  const { stream } = local.media;
  return (
    <MeetingRoom code={entry.join.meeting.code} join={entry.join} localStream={stream}
      initialAudioOn={local.audioOn} initialVideoOn={local.videoOn}
      rejoin={() => joinMeeting(code, entry.body)} onExit={() => stopTracks(stream)} />
  );
}
