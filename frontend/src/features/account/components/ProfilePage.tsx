import { Alert, Stack, TextField } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { Loading } from "../../../components/states";
import { SESSION_KEY } from "../../auth/hooks/useSession";
import { updateMe, type Me } from "../api";
import { useMe } from "../hooks/useMe";
import { ME_KEY } from "../queryKeys";
import { timeZoneOptions } from "../timeZones";
import { AvatarEditor } from "./AvatarEditor";
import { PhoneSection } from "./PhoneSection";
import { SectionCard } from "./SectionCard";

const FIELDS = ["full_name", "display_name", "timezone"];

function ProfileForm({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState({
    full_name: me.full_name,
    display_name: me.display_name,
    timezone: me.timezone,
  });
  const save = useMutation({
    mutationFn: updateMe,
    onSuccess: (updated) => {
      queryClient.setQueryData(ME_KEY, updated);
      void queryClient.invalidateQueries({ queryKey: SESSION_KEY }); // the display name shows in the top bar
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) => {
    save.reset();
    setValues({ ...values, [name]: event.target.value });
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(values);
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <FormAlert errors={errors} />
      <TextField label="Full name" autoComplete="name" value={values.full_name} onChange={set("full_name")}
        {...fieldError(errors, "full_name")} />
      <TextField label="Display name" autoComplete="nickname" value={values.display_name} onChange={set("display_name")}
        {...fieldError(errors, "display_name")} />
      <TextField select label="Time zone" value={values.timezone} onChange={set("timezone")}
        slotProps={{ select: { native: true } }} {...fieldError(errors, "timezone")}>
        {timeZoneOptions(me.timezone).map((zone) => (
          <option key={zone} value={zone}>
            {zone.replaceAll("_", " ")}
          </option>
        ))}
      </TextField>
      <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
        <SubmitButton pending={save.isPending}>Save profile</SubmitButton>
        <div role="status">{save.isSuccess && <Alert severity="success" sx={{ py: 0 }}>Profile saved</Alert>}</div>
      </Stack>
    </Stack>
  );
}

export function ProfilePage() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <FormAlert errors={formErrors(me.error)} />;
  return (
    <Stack spacing={3}>
      <SectionCard title="Profile picture" description="JPEG, PNG or WebP.">
        <AvatarEditor me={me.data} version={me.dataUpdatedAt} />
      </SectionCard>
      <SectionCard title="Your details" description={`Signed in as ${me.data.email}`}>
        <ProfileForm me={me.data} />
      </SectionCard>
      <PhoneSection />
    </Stack>
  );
}
