-- Argo CD health for mandate.dev/AgentOwner: Healthy while active, Degraded once departed (every
-- binding naming the owner is revoked), Progressing before Mandate has looked at the latest spec.
hs = {}
if obj.status == nil or obj.status.observedGeneration == nil
    or obj.metadata.generation == nil or obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Mandate to count the owner's bindings"
  return hs
end
hs.status = "Progressing"
hs.message = ""
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      hs.message = c.message or ""
      if c.status == "True" then hs.status = "Healthy" else hs.status = "Degraded" end
    end
  end
end
return hs
