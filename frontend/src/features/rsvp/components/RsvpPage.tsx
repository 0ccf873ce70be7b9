import { Alert, Stack, ToggleButton, ToggleButtonGroup, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert, SubmitButton } from "../../../components/form";
import { Loading } from "../../../components/states";
import { browserTimeZone, formatTimeRange, zoneLabel } from "../../meetings/zonedTime";
import { answerRsvp, getRsvp, isAnswer, type Answer, type Rsvp } from "../api";
import { AuthLayout } from "../../auth/components/AuthLayout";
import { LinkErrorPage } from "./PublicPage";

const LABELS: Record<Answer, string> = { accepted: "Yes", tentative: "Maybe", declined: "No" };
const RECORDED: Record<Answer, string> = {
  accepted: "You said yes: the host knows you are coming.",
  tentative: "You said maybe: the host knows you might come.",
  declined: "You said no: the host knows you are not coming.",
};

function When({ rsvp }: { rsvp: Rsvp }) {
  if (!rsvp.starts_at) return null;
  const here = browserTimeZone();
  const mine = formatTimeRange(rsvp.starts_at, rsvp.ends_at, here);
  return (
    <Stack spacing={0.5}>
      <Typography>
        {mine} <Typography component="span" color="text.secondary">({zoneLabel(here)})</Typography>
      </Typography>
      {rsvp.timezone !== here && (
        <Typography variant="body2" color="text.secondary">
          {formatTimeRange(rsvp.starts_at, rsvp.ends_at, rsvp.timezone)} in the meeting's time zone ({zoneLabel(rsvp.timezone)})
        </Typography>
      )}
      {rsvp.recurrence_text && <Typography variant="body2">{rsvp.recurrence_text}</Typography>}
    </Stack>
  );
}

/**
 * /rsvp/:token, from an invitation email. Opening the link only shows the meeting with the answer
 * chosen in the email preselected; the answer is recorded by "Confirm", so a mail scanner that
 * follows links answers nothing.
 */
export function RsvpPage() {
  const { token = "" } = useParams();
  const [search] = useSearchParams();
  const linkAnswer = search.get("answer");
  const fromLink = isAnswer(linkAnswer) ? linkAnswer : null;
  const queryClient = useQueryClient();
  const queryKey = ["rsvp", token, fromLink];
  const rsvp = useQuery({ queryKey, queryFn: () => getRsvp(token, fromLink) });
  const [choice, setChoice] = useState<Answer | null>(null);
  const confirm = useMutation({
    mutationFn: (answer: Answer) => answerRsvp(token, answer),
    onSuccess: (state) => queryClient.setQueryData(queryKey, state),
  });

  if (rsvp.isPending) return <AuthLayout title="Invitation"><Loading label="Loading the invitation" /></AuthLayout>;
  if (rsvp.isError) return <LinkErrorPage error={rsvp.error} what="invitation" />;

  const current = isAnswer(rsvp.data.current) ? rsvp.data.current : null;
  const selected = choice ?? fromLink ?? current;
  return (
    <AuthLayout title={rsvp.data.meeting_title} intro={`${rsvp.data.host_name} invited you.`}>
      <When rsvp={rsvp.data} />
      <div role="status">
        {current && <Alert severity={confirm.isSuccess ? "success" : "info"}>{RECORDED[current]}</Alert>}
      </div>
      <Stack component="form" spacing={2} noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (selected) confirm.mutate(selected);
        }}>
        <FormAlert errors={formErrors(confirm.error)} />
        <Typography id="rsvp-question">Are you going?</Typography>
        <ToggleButtonGroup exclusive fullWidth color="primary" value={selected} aria-labelledby="rsvp-question"
          onChange={(_, value: Answer | null) => {
            if (value) {
              confirm.reset();
              setChoice(value);
            }
          }}>
          {(Object.keys(LABELS) as Answer[]).map((answer) => (
            <ToggleButton key={answer} value={answer}>{LABELS[answer]}</ToggleButton>
          ))}
        </ToggleButtonGroup>
        <SubmitButton pending={confirm.isPending} disabled={!selected}>
          Confirm
        </SubmitButton>
      </Stack>
    </AuthLayout>
  );
}
