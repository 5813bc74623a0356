from . import sale_credit_approval
