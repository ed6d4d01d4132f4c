-- Argo CD health for mandate.dev/AgentBinding: Healthy once Mandate has issued the identity the
-- current spec asks for; Progressing until Mandate has caught up with the spec; Suspended while
-- spec.suspended; Degraded when the agent has no identity (expired, revoked, denied, failed).
hs = {}
if obj.status == nil or obj.status.observedGeneration == nil
    or obj.metadata.generation == nil or obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Mandate to act on the latest spec"
  return hs
end
local ready = nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then ready = c end
  end
end
local phase = obj.status.phase
local why = ""
if ready ~= nil and ready.message ~= nil then why = ready.message end
if phase == "Active" and ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = why
elseif phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = why
elseif phase == "Pending" or phase == nil then
  hs.status = "Progressing"
  hs.message = why
else
  hs.status = "Degraded"
  hs.message = phase .. ": " .. why
end
return hs
