import { Avatar, Button, Stack } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ChangeEvent } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { AVATAR_URL, removeAvatar, uploadAvatar, type Me } from "../api";
import { ME_KEY } from "../queryKeys";

/** Profile picture: choose a file, see it, upload it; or remove the current one. */
export function AvatarEditor({ me, version }: { me: Me; version: number }) {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<{ file: File; preview: string } | null>(null);

  useEffect(() => {
    if (chosen) return () => URL.revokeObjectURL(chosen.preview);
  }, [chosen]);

  const upload = useMutation({
    mutationFn: uploadAvatar,
    onSuccess: (updated) => {
      queryClient.setQueryData(ME_KEY, updated);
      setChosen(null);
    },
  });
  const remove = useMutation({
    mutationFn: removeAvatar,
    onSuccess: () => queryClient.setQueryData(ME_KEY, { ...me, has_avatar: false }),
  });
  const errors = formErrors(upload.error ?? remove.error);

  function choose(event: ChangeEvent<HTMLInputElement>) {
    upload.reset();
    const file = event.target.files?.[0];
    setChosen(file ? { file, preview: URL.createObjectURL(file) } : null);
    event.target.value = "";
  }

  const src = chosen ? chosen.preview : me.has_avatar ? `${AVATAR_URL}?v=${version}` : undefined;
  return (
    <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ alignItems: { sm: "center" } }}>
      <Avatar src={src} alt={chosen ? "Preview of your new profile picture" : "Your profile picture"}
        sx={{ width: 88, height: 88, fontSize: 36 }}>
        {(me.display_name || me.full_name || me.email)[0]?.toUpperCase()}
      </Avatar>
      <Stack spacing={1} sx={{ flexGrow: 1 }}>
        <FormAlert errors={errors} />
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
          {chosen ? (
            <>
              <Button variant="contained" onClick={() => upload.mutate(chosen.file)} loading={upload.isPending}>
                Upload picture
              </Button>
              <Button onClick={() => setChosen(null)}>Cancel</Button>
            </>
          ) : (
            <>
              <Button variant="outlined" component="label">
                Choose picture
                <input hidden type="file" accept="image/jpeg,image/png,image/webp" onChange={choose} />
              </Button>
              {me.has_avatar && (
                <Button color="error" onClick={() => remove.mutate()} loading={remove.isPending}>
                  Remove picture
                </Button>
              )}
            </>
          )}
        </Stack>
      </Stack>
    </Stack>
  );
}
