"""`bemtevi infra deploy --stage STAGE`: create or update the stateful stack and wait."""

from __future__ import annotations

from botocore.exceptions import ClientError

from bemtevi import aws
from infra.template import rendered


def deploy_stateful_stack(stage: str) -> dict:
    cloudformation = aws.client("cloudformation")
    name = f"bemtevi-{stage}-data"
    arguments = {
        "StackName": name,
        "TemplateBody": rendered(),
        "Parameters": [{"ParameterKey": "Stage", "ParameterValue": stage}],
    }
    try:
        cloudformation.describe_stacks(StackName=name)
    except ClientError:
        cloudformation.create_stack(**arguments, EnableTerminationProtection=True)
        cloudformation.get_waiter("stack_create_complete").wait(StackName=name)
    else:
        try:
            cloudformation.update_stack(**arguments)
        except ClientError as error:
            if "No updates are to be performed" not in str(error):
                raise
        else:
            cloudformation.get_waiter("stack_update_complete").wait(StackName=name)
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    return {
        "stack": name,
        "status": stack["StackStatus"],
        "outputs": {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])},
    }
